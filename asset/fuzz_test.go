package asset

import "testing"

// Model params come from scripts on the chain: whatever the bytes, nothing panics; a lock
// the chain would accept releases no more than it holds (a param that only passes
// ValidateModel can, on the node as here: custom UQ lists are not length-checked there).
func FuzzUnlock(f *testing.F) {
	for _, p := range []string{fixedParam, customParam, inflationParam, "PN=0;LH=2;TYPE=1;LQ=9;LP=7;UN=3", "PN=0;LH=1;TYPE=1;LQ=1;LP=1;UN=0", ""} {
		f.Add([]byte(p), uint64(10000), uint64(25000))
	}
	f.Fuzz(func(t *testing.T, param []byte, amount, diff uint64) {
		avail, next := Unlock(amount, diff, param)
		if avail > amount && CheckNewModel(param, amount) == nil {
			t.Fatalf("Unlock(%d, %d, %q) releases %d", amount, diff, param, avail)
		}
		_ = DiffHeight(param, next)
		_ = DiffHeight(param, nil)
		_ = ValidateModel(param, amount)
		_ = CheckNewModel(param, amount)
		if s, err := ExpandModel(string(param), amount); err == nil {
			if err := CheckNewModel([]byte(s), amount); err != nil {
				t.Fatalf("ExpandModel(%q) = %q, which the chain rejects: %v", param, s, err)
			}
		}
	})
}
