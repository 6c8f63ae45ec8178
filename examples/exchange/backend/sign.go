package backend

import (
	"encoding/json"
	"fmt"
	"github.com/mvsgo/mvs"
	"github.com/mvsgo/mvs/tx"
	"github.com/mvsgo/mvs/wallet"
)

// Sign is the cold side (run it where the keys are, as its own process: the exchange's
// "sign" command): it reads the "mvsgo-unsigned-tx" JSON, checks every readable field
// against the raw bytes and every input's value against its previous transaction, refuses a
// fee above maxFee, signs with acct's keys at the origins recorded, and returns the signed
// transaction's bytes.
func Sign(unsignedJSON []byte, acct *wallet.Account, maxFee mvs.Amount) ([]byte, error) {
	if acct == nil || acct.WatchOnly() {
		return nil, fmt.Errorf("%w: the signer needs an account with private keys", ErrSignerPolicy)
	}
	var u wallet.Unsigned
	if err := json.Unmarshal(unsignedJSON, &u); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSignerPolicy, err)
	}
	if u.Network != acct.Params().Name {
		return nil, fmt.Errorf("%w: a %s transaction, the signer's account is %s", ErrSignerPolicy, u.Network, acct.Params().Name)
	}
	fee, err := u.Fee()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSignerPolicy, err)
	}
	if fee > maxFee {
		return nil, fmt.Errorf("%w: fee %s ETP above the cap %s", ErrSignerPolicy, fee, maxFee)
	}
	left, err := u.SignWithAccount(acct, tx.SignOptions{})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSignerPolicy, err)
	}
	if left != 0 {
		return nil, fmt.Errorf("%w: %d inputs still unsigned", ErrSignerPolicy, left)
	}
	t, err := u.Final()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSignerPolicy, err)
	}
	return t.Bytes(), nil
}
