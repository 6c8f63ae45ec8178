//go:build !linux

package main

// promptTerminal is not implemented here: secrets come from files.
func promptTerminal(question string) (string, error) { return "", errNoTerminal }
