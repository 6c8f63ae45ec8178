package script_test

import (
	"encoding/hex"
	"fmt"

	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx/script"
)

func Example() {
	b, _ := hex.DecodeString("76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac")
	s, err := script.Parse(b)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.ASM())
	fmt.Println(script.Classify(s))
	addr, _ := s.Address(mvs.MainNet())
	fmt.Println(addr)

	back, _ := script.ParseASM("dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig")
	fmt.Println(back.Hex())
	// Output:
	// dup hash160 [ 61fde3bd4e6955c99b16de2d71e2a369888a1c0b ] equalverify checksig
	// pay_key_hash
	// MGqHvbaH9wzdr6oUDFz4S1HptjoKQcjRve
	// 76a91461fde3bd4e6955c99b16de2d71e2a369888a1c0b88ac
}
