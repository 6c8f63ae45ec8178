package rpcclient_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/mvsgo/mvs/rpcclient"
)

// TestParamsCommandLine reads "params" arrays (most from the docs' request examples) the
// way the reference's Mongoose.cpp turns them into a command line.
func TestParamsCommandLine(t *testing.T) {
	for _, tt := range []struct {
		method, params, want string // want: argv joined by '|'; "" means refused
	}{
		{"getnewaccount", `["test", "123456", {"language": "en"}]`, "getnewaccount|--language|en|test|123456"},
		{"getaddressetp", `["MGb4a2vtRHY6kkEH486hHrGsziGhTcSiyn","-r","0:11","--utxo"]`, "getaddressetp|MGb4a2vtRHY6kkEH486hHrGsziGhTcSiyn|-r|0:11|--utxo"},
		{"getmit", `["mit@test","--trace",{"limit": 1,"index": 1}]`, "getmit|--index|1|--limit|1|mit@test|--trace"},
		{"getblock", `[0]`, "getblock|0"},
		{"x", `[{"utxo":null,"cert":[],"deposited":{}},"a"]`, "x|--cert|--deposited|--utxo|a"},
		{"sendmore", `["a","p",{"receivers":["t7r9:100000","t8:5"]}]`, "sendmore|--receivers|t7r9:100000|--receivers|t8:5|a|p"},
		{"x", `[true, null, -5, 18446744073709551615]`, "x|true||-5|18446744073709551615"},
		{"x", `[{"a":"1"},{"b":"2"},"y"]`, "x|--a|1|y"},
		{"x", `[]`, "x"},
		{"x", `{}`, ""},
		{"x", `[1.5]`, ""},
		{"x", `[1e3]`, ""},
		{"x", `[[1]]`, ""},
		{"x", `[{"a":{"b":1}}]`, ""},
		{"x", `[{"a":[[1]]}]`, ""},
		{"x", `[18446744073709551616]`, ""},
	} {
		var p rpcclient.Params
		err := json.Unmarshal([]byte(tt.params), &p)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s accepted: %+v", tt.params, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.params, err)
			continue
		}
		if got := strings.Join(p.CommandLine(tt.method), "|"); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.params, got, tt.want)
		}
	}
}

func TestParamsRoundTrip(t *testing.T) {
	one, two := "1", "2"
	p := rpcclient.Params{Options: []rpcclient.Option{{Name: "a", Value: &one}, {Name: "a", Value: &two}, {Name: "f"}}, Args: []string{"x"}}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `[{"a":["1","2"],"f":null},"x"]` {
		t.Fatalf("encoded %s", b)
	}
	var q rpcclient.Params
	if err := json.Unmarshal(b, &q); err != nil || !reflect.DeepEqual(p, q) {
		t.Fatalf("decoded %+v, %v", q, err)
	}
}
