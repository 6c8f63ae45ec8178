package stratum_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"testing"
	"time"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/examples/pool/stratum"
)

// FuzzConnection sends arbitrary lines to a live server (logged in first half the time,
// on either protocol) and then a request whose answer shows the connection was served
// to the end: a panic anywhere in a connection's handling fails the run. Bans and line
// caps are part of what is exercised, so the server, one for the whole run, has a ban
// threshold no input reaches.
func FuzzConnection(f *testing.F) {
	a := mvs.NewPubKeyHashAddress(keyHash(), mvs.RegTest()).String()
	for _, s := range []string{
		`{"id":1,"method":"eth_submitLogin","params":["` + a + `.w"]}` + "\n" + `{"id":2,"method":"eth_submitWork","params":["0x0000000000000001","0x0100000000000000000000000000000000000000000000000000000000000000","0x00"]}`,
		`{"id":1,"method":"mining.subscribe","params":[]}` + "\n" + `{"id":2,"method":"mining.authorize","params":["` + a + `","x"]}` + "\n" + `{"id":3,"method":"mining.submit","params":["a","00000001","000000000001"]}`,
		`{"id":1,"method":"mining.submit","params":["a","00000001","0001000000000001"]}`,
		`{"id":1,"method":"eth_submitHashrate","params":["0xffffffffffffffffff"]}`,
		"\x00\xff\n\n{", `{"id":[1,2],"method":"eth_getWork"}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	_, addr := serve(f, stratum.Config{Node: newFakeNode(256), Params: mvs.RegTest(), ShareDifficulty: 8,
		Poll: time.Hour, BanInvalid: 1 << 30, MaxWorkers: 1 << 20})
	f.Fuzz(func(t *testing.T, in []byte, es1 bool) {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(30 * time.Second))
		var pre []byte
		if es1 {
			pre = []byte(`{"id":"p1","method":"mining.subscribe","params":[]}` + "\n" + `{"id":"p2","method":"mining.authorize","params":["` + a + `.f","x"]}` + "\n")
		}
		in = bytes.ReplaceAll(in, []byte(`"id":"end"`), nil)
		msg := append(append(pre, in...), []byte("\n"+`{"id":"end","method":"eth_getWork"}`+"\n")...)
		if _, err := nc.Write(msg); err != nil {
			return // the server closed on us (a line too long): fine
		}
		r := bufio.NewReaderSize(nc, 1<<16)
		for {
			line, err := r.ReadBytes('\n')
			if err != nil {
				return // closed by the server, after handling: fine
			}
			var m struct {
				ID json.RawMessage `json:"id"`
			}
			if json.Unmarshal(line, &m) == nil && string(m.ID) == `"end"` {
				return
			}
		}
	})
}
