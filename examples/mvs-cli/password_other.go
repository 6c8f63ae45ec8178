//go:build !linux

package main

import "errors"

func promptPassword(e *env, prompt string) (string, error) {
	return "", errors.New("asking for a password on this system is not supported; use --password-file")
}
