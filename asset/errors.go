package asset

import "errors"

// ErrModel is what every attenuation model rejection matches with errors.Is.
var ErrModel = errors.New("asset: attenuation model rejected")

// ModelError says which attenuation model param failed and why.
type ModelError struct {
	Param  string
	Reason string
}

func (e *ModelError) Error() string { return "asset: attenuation model " + e.Param + ": " + e.Reason }

// Unwrap makes errors.Is(err, ErrModel) hold.
func (e *ModelError) Unwrap() error { return ErrModel }
