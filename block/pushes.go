package block

import "github.com/mvsgo/mvs/tx/script"

// firstPush returns the data of a script's first operation when it is a push.
func firstPush(s []byte) ([]byte, bool) {
	t := script.Script(s).Tokenize()
	if !t.Next() || !t.Op().IsPushData() {
		return nil, false
	}
	return t.Op().Data, true
}

// lastPush returns the data of the last push of a well-formed script. A script that does
// not parse has no operations for the node (it is kept as raw bytes), so no key.
func lastPush(s []byte) ([]byte, bool) {
	t := script.Script(s).Tokenize()
	var last []byte
	found := false
	for t.Next() {
		if op := t.Op(); op.IsPushData() {
			last, found = op.Data, true
		}
	}
	if t.Err() != nil {
		return nil, false
	}
	return last, found
}
