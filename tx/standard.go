package tx

import (
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// isStandardOutput is the node's script.pattern() != non_standard, which tx versions 2 and
// later demand of every output.
func isStandardOutput(s []byte) bool { return script.IsStandardOutput(s) }

// nodeASM is the node's text for a script (lossy for non-canonical pushes).
func nodeASM(s []byte) string { return script.Script(s).NodeASM() }

// parseASM reads script text: the node's form, or script.ASM's exact form.
func parseASM(s string) ([]byte, error) { return script.ParseASM(s) }

// scriptAddress is the address an output script pays, when it has one.
func scriptAddress(s []byte, p *mvs.Params) (string, bool) {
	a, ok := script.Script(s).Address(p)
	if !ok {
		return "", false
	}
	return a.String(), true
}
