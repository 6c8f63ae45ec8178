package block

import "github.com/mvsgo/mvs/tx/script"

// lastOperationData is what the node takes as the PoS signing key:
// inputs[0].script.operations.back().data, the data of the last operation whether or not it
// is a push (a non-push has none). A script that does not parse is, to the node, one raw
// operation holding all its bytes.
func lastOperationData(s []byte) ([]byte, bool) {
	t := script.Script(s).Tokenize()
	var last []byte
	found := false
	for t.Next() {
		last, found = t.Op().Data, true
	}
	if t.Err() != nil {
		return s, len(s) > 0
	}
	return last, found && len(last) > 0
}
