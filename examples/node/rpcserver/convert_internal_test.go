package rpcserver

import (
	"encoding/json"
	"testing"
)

func TestModelJSON(t *testing.T) {
	tests := []struct{ param, want string }{
		{"PN=0;LH=20000;TYPE=1;LQ=300;LP=60000;UN=3",
			`{"current_period_nbr":0,"next_interval":20000,"type":1,"lock_quantity":300,"lock_period":60000,"total_period_nbr":3}`},
		{"TYPE=2;LQ=9;LP=10;UN=2;UC=4,6;UQ=3,6",
			`{"type":2,"lock_quantity":9,"lock_period":10,"total_period_nbr":2,"locked":[{"number":4,"quantity":3},{"number":6,"quantity":6}]}`},
		{"TYPE=2;UC=4,6;UQ=3", `{"type":2}`},                               // steps of different lengths are dropped
		{"TYPE=x;LQ=5", `{"type":18446744073709551615,"lock_quantity":5}`}, // not a number: 2^64-1
		{"", `{}`},
		{"junk;=;A=B=C", `{}`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(modelJSON([]byte(tc.param)))
		if err != nil || string(b) != tc.want {
			t.Errorf("%q: %s %v, want %s", tc.param, b, err, tc.want)
		}
	}
}
