package tx

import (
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

// isStandardOutput is the node's script.pattern() != non_standard, which tx versions 2 and
// later demand of every output.
func isStandardOutput(s []byte) bool { return script.IsStandardOutput(s) }

// scriptASM renders a script as the node's ASM text.
func scriptASM(s []byte) string { return script.Script(s).ASM() }

// parseASM is the inverse of scriptASM, byte for byte.
func parseASM(s string) ([]byte, error) { return script.ParseASM(s) }

// scriptAddress is the address an output script pays, when it has one.
func scriptAddress(s []byte, p *mvs.Params) (string, bool) {
	a, ok := script.Script(s).Address(p)
	if !ok {
		return "", false
	}
	return a.String(), true
}
