package asset

import (
	"errors"
	"testing"
)

const (
	fixedParam  = "PN=0;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3"
	customParam = "PN=0;LH=100;TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,300;UQ=100,200,300"
	// The fixed-inflation example of the node's sources, expanded by its double arithmetic
	// (reproduced independently with C's pow through Python).
	inflationParam = "PN=0;LH=1000;TYPE=3;LQ=20000000;LP=12000;UN=12;IR=8;UC=1000,1000,1000,1000,1000,1000,1000,1000,1000,1000,1000,1000;" +
		"UQ=8577657,686212,741109,800398,864430,933584,1008271,1088932,1176047,1270131,1371741,1481488"
)

func TestExpandModel(t *testing.T) {
	for _, c := range []struct {
		name, in string
		amount   uint64
		want     string // "" for an error
	}{
		{"fixed, prefix added", "TYPE=1;LQ=9000;LP=60000;UN=3", 10000, fixedParam},
		{"fixed, prefix given", fixedParam, 9000, fixedParam},
		{"custom, LH is the first period", "TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,300;UQ=100,200,300", 600, customParam},
		{"inflation expands UC and UQ", "TYPE=3;LQ=20000000;LP=12000;UN=12;IR=8", 20000000, inflationParam},
		{"LQ above the amount", "TYPE=1;LQ=9000;LP=60000;UN=3", 8999, ""},
		{"wrong LH", "PN=0;LH=19999;TYPE=1;LQ=9000;LP=60000;UN=3", 9000, ""},
		{"PN not 0", "PN=1;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", 9000, ""},
		{"LP below UN", "TYPE=1;LQ=9000;LP=2;UN=3", 9000, ""},
		{"custom sums differ", "TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,301;UQ=100,200,300", 600, ""},
		{"custom zero period", "TYPE=2;LQ=600;LP=600;UN=3;UC=0,300,300;UQ=100,200,300", 600, ""},
		{"inflation partial lock", "TYPE=3;LQ=100;LP=12;UN=12;IR=8", 101, ""},
		{"inflation rate 0", "TYPE=3;LQ=100;LP=12;UN=12;IR=0", 100, ""},
		{"no model", "TYPE=9;LQ=1;LP=1;UN=1", 1, ""},
		{"bad characters", "TYPE=1;LQ=9 000;LP=60000;UN=3", 9000, ""},
	} {
		got, err := ExpandModel(c.in, c.amount)
		if c.want == "" {
			var me *ModelError
			if !errors.Is(err, ErrModel) || !errors.As(err, &me) {
				t.Errorf("%s: %q, %v; want a *ModelError", c.name, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
		// What the wallet writes, the chain accepts as a new lock.
		if err := CheckNewModel([]byte(got), c.amount); err != nil {
			t.Errorf("%s: CheckNewModel(%q): %v", c.name, got, err)
		}
		if err := ValidateModel([]byte(got), c.amount); err != nil {
			t.Errorf("%s: ValidateModel(%q): %v", c.name, got, err)
		}
	}
	// On chain a fixed-inflation lock must carry its lists.
	if err := CheckNewModel([]byte("PN=0;LH=1;TYPE=3;LQ=12;LP=12;UN=12;IR=8"), 12); !errors.Is(err, ErrModel) {
		t.Errorf("inflation without UC/UQ accepted on chain: %v", err)
	}
}

func TestUnlock(t *testing.T) {
	for _, c := range []struct {
		name          string
		amount, diff  uint64
		param         string
		available     uint64
		next          string // "" when nothing stays locked
		diffFromParam uint64 // DiffHeight(param, next) must give back diff
	}{
		{"fixed, inside the first period", 10000, 5000, fixedParam, 1000, "PN=0;LH=15000;TYPE=1;LQ=9000;LP=60000;UN=3", 5000},
		{"fixed, one period", 10000, 20000, fixedParam, 4000, "PN=1;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", 20000},
		{"fixed, into the last period", 10000, 45000, fixedParam, 7000, "PN=2;LH=15000;TYPE=1;LQ=9000;LP=60000;UN=3", 45000},
		{"fixed, matured", 10000, 60000, fixedParam, 10000, "", 60000},
		// The node caps passed periods at LP−PN−1, not UN−PN−1: with LP=7, UN=3 three periods
		// of 3 are released after 6 blocks and PN becomes 3 (= UN), which no relock can carry.
		{"fixed, the LP cap quirk", 9, 6, "PN=0;LH=2;TYPE=1;LQ=9;LP=7;UN=3", 9, "PN=3;LH=2;TYPE=1;LQ=9;LP=7;UN=3", 0},
		{"custom, inside the first period", 600, 50, customParam, 0, "PN=0;LH=50;TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,300;UQ=100,200,300", 50},
		{"custom, first period ends", 600, 100, customParam, 100, "PN=1;LH=200;TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,300;UQ=100,200,300", 100},
		{"custom, into the last period", 600, 350, customParam, 300, "PN=2;LH=250;TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,300;UQ=100,200,300", 350},
		{"custom, matured", 600, 600, customParam, 600, "", 600},
		{"inflation, two periods", 20000000, 2500, inflationParam, 8577657 + 686212, "PN=2;LH=500" + inflationParam[len("PN=0;LH=1000"):], 2500},
		{"no model: all free", 500, 0, "", 500, "", 0},
	} {
		avail, next := Unlock(c.amount, c.diff, []byte(c.param))
		if avail != c.available || string(next) != c.next {
			t.Errorf("%s: Unlock = %d, %q; want %d, %q", c.name, avail, next, c.available, c.next)
		}
		if c.param == "" || c.name == "fixed, the LP cap quirk" {
			continue
		}
		var n []byte
		if c.next != "" {
			n = []byte(c.next)
		}
		if d := DiffHeight([]byte(c.param), n); d != c.diffFromParam {
			t.Errorf("%s: DiffHeight = %d, want %d", c.name, d, c.diffFromParam)
		}
	}
	if d := DiffHeight([]byte(fixedParam), []byte(fixedParam)); d != ^uint64(0) {
		t.Errorf("DiffHeight of an unchanged param = %d, want never", d)
	}
}

func TestValidateModel(t *testing.T) {
	for _, c := range []struct {
		param string
		ok    bool
	}{
		{fixedParam, true},
		{"PN=1;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", true},
		{"PN=1;LH=20001;TYPE=1;LQ=9000;LP=60000;UN=3", false}, // LH beyond the period
		{"PN=2;LH=20000;TYPE=1;LQ=9000;LP=60000;UN=3", true},  // last period: 2·20000 + 20000 ≤ 60000
		{"PN=2;LH=20001;TYPE=1;LQ=9000;LP=60000;UN=3", false},
		{"PN=3;LH=1;TYPE=1;LQ=9000;LP=60000;UN=3", false}, // PN ≥ UN
		{"PN=0;LH=0;TYPE=1;LQ=9000;LP=60000;UN=3", false}, // LH = 0
		{"PN=1;LH=201;TYPE=2;LQ=600;LP=600;UN=3;UC=100,200,300;UQ=100,200,300", false},
		{inflationParam, true},
	} {
		err := ValidateModel([]byte(c.param), 20000000)
		if (err == nil) != c.ok {
			t.Errorf("ValidateModel(%q) = %v, want ok=%v", c.param, err, c.ok)
		}
	}
}
