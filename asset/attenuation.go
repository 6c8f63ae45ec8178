package asset

// Attenuation models (MIP-7/8, "locked MST"): an asset output whose script is the
// attenuation pattern releases its quantity period by period. These functions are the
// node's attenuation_model.cpp as pure functions of the param, the amounts and the block
// heights, quirks included (each is named on the function that keeps it).

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/mvsgo/mvs/internal/libm"
	"github.com/mvsgo/mvs/tx/script"
)

// Limits the node applies to models.
const (
	MaxUnlockNumber  = 100    // UN of custom and fixed-inflation models
	MaxInflationRate = 100000 // IR, in percent
)

// immutableTail is the param from its second ';' on: everything but PN and LH, which the
// node rewrites as periods pass and requires unchanged otherwise.
func immutableTail(param []byte) ([]byte, bool) {
	first := bytes.IndexByte(param, ';')
	if first < 0 {
		return nil, false
	}
	second := bytes.IndexByte(param[first+1:], ';')
	if second < 0 {
		return nil, false
	}
	return param[first+1+second:], true
}

// withPeriod is get_new_model_param: the param with PN and LH replaced (nil when the param
// has fewer than two ';').
func withPeriod(param []byte, pn, lh uint64) []byte {
	tail, ok := immutableTail(param)
	if !ok {
		return nil
	}
	return append([]byte("PN="+strconv.FormatUint(pn, 10)+";LH="+strconv.FormatUint(lh, 10)), tail...)
}

func modelError(param []byte, format string, args ...any) error {
	return &ModelError{Param: string(param), Reason: fmt.Sprintf(format, args...)}
}

// checkCommon is check_model_param_common: PN < UN, and LQ, LP, UN positive.
func checkCommon(m *script.ModelParam, param []byte) error {
	switch {
	case m.PN >= m.UN:
		return modelError(param, "PN %d is not below UN %d", m.PN, m.UN)
	case m.LQ == 0:
		return modelError(param, "LQ is 0")
	case m.LP == 0:
		return modelError(param, "LP is 0")
	}
	return nil
}

// checkUN is check_model_param_un: LP ≥ UN and LQ ≥ UN.
func checkUN(m *script.ModelParam, param []byte) error {
	if m.LP < m.UN || m.LQ < m.UN {
		return modelError(param, "LP %d and LQ %d must each be at least UN %d", m.LP, m.LQ, m.UN)
	}
	return nil
}

// checkUCUQ is check_model_param_uc_uq: UN ≤ 100 periods whose lengths sum to LP and
// quantities to LQ, all positive.
func checkUCUQ(m *script.ModelParam, param []byte) error {
	if m.UN > MaxUnlockNumber {
		return modelError(param, "UN %d is above %d", m.UN, MaxUnlockNumber)
	}
	if uint64(len(m.UC)) != m.UN || uint64(len(m.UQ)) != m.UN {
		return modelError(param, "UC has %d and UQ %d entries, UN is %d", len(m.UC), len(m.UQ), m.UN)
	}
	// sum_and_check_numbers: a zero entry makes the sum 0; the sums wrap as uint64 does.
	sum := func(xs []uint64) uint64 {
		var s uint64
		for _, x := range xs {
			if x == 0 {
				return 0
			}
			s += x
		}
		return s
	}
	if sum(m.UC) != m.LP {
		return modelError(param, "UC does not sum to LP %d (or has a zero)", m.LP)
	}
	if sum(m.UQ) != m.LQ {
		return modelError(param, "UQ does not sum to LQ %d (or has a zero)", m.LQ)
	}
	return nil
}

// checkInflation is check_model_param_inflation: the fixed-period rules, the whole amount
// locked, at most 100 periods and 1 ≤ IR ≤ 100000.
func checkInflation(m *script.ModelParam, param []byte, amount uint64) error {
	if err := checkUN(m, param); err != nil {
		return err
	}
	switch {
	case m.LQ != amount:
		return modelError(param, "a fixed-inflation model locks the whole amount %d, not LQ %d", amount, m.LQ)
	case m.UN > MaxUnlockNumber:
		return modelError(param, "UN %d is above %d", m.UN, MaxUnlockNumber)
	case m.IR == 0 || m.IR > MaxInflationRate:
		return modelError(param, "IR %d is not in [1, %d]", m.IR, MaxInflationRate)
	}
	return nil
}

// ExpandModel is what the node's wallet does to the model a user gives for a new lock of
// amount (check_model_param_initial in its initial mode): it checks the model and returns
// the param that goes on chain, with "PN=0;LH=<first period>;" put in front when the user
// left them out and, for a fixed-inflation model (TYPE=3), the UC and UQ lists computed
// from IR: the first period releases LQ·(1+IR/100)^(1−UN), each later one IR percent of
// all released before it, the last whatever remains.
func ExpandModel(param string, amount uint64) (string, error) {
	return checkInitial(param, amount, true)
}

// CheckNewModel is the chain's check of the param of a new lock (an attenuation output
// whose outpoint is null): check_model_param(param, amount), the initial rules in the
// non-initial mode, so a fixed-inflation model must carry its UC and UQ.
func CheckNewModel(param []byte, amount uint64) error {
	_, err := checkInitial(string(param), amount, false)
	return err
}

func checkInitial(param string, amount uint64, initial bool) (string, error) {
	hasPrefix := strings.HasPrefix(param, "PN=")
	text := param
	if !hasPrefix {
		text = "PN=0;LH=0;" + param
	}
	parse := script.ParseModelParam
	if initial {
		parse = script.ParseInitialModelParam
	}
	m, ok := parse([]byte(text))
	if !ok || m.Type == script.ModelNone {
		return "", modelError([]byte(param), "not a valid model param")
	}
	if m.PN != 0 {
		return "", modelError([]byte(param), "a new lock starts at PN=0")
	}
	if m.LQ > amount {
		return "", modelError([]byte(param), "LQ %d is above the amount %d", m.LQ, amount)
	}
	if err := checkCommon(&m, []byte(param)); err != nil {
		return "", err
	}
	switch m.Type {
	case script.ModelFixedQuantity, script.ModelCustom:
		first := m.LP / m.UN
		if len(m.UC) > 0 {
			first = m.UC[0]
		}
		if !hasPrefix {
			if initial {
				param = "PN=0;LH=" + strconv.FormatUint(first, 10) + ";" + param
			}
		} else if m.LH != first {
			return "", modelError([]byte(param), "LH %d is not the first period's %d", m.LH, first)
		}
		if m.Type == script.ModelFixedQuantity {
			return param, checkUN(&m, []byte(param))
		}
		return param, checkUCUQ(&m, []byte(param))
	default: // script.ModelFixedInflation
		return expandInflation(param, amount, &m, hasPrefix, initial)
	}
}

// expandInflation is check_model_param_initial_fixed_inflation.
func expandInflation(param string, amount uint64, m *script.ModelParam, hasPrefix, initial bool) (string, error) {
	if err := checkInflation(m, []byte(param), amount); err != nil {
		return "", err
	}
	period := m.LP / m.UN
	lh := period
	if hasPrefix && m.LH != period {
		return "", modelError([]byte(param), "LH %d is not the period %d", m.LH, period)
	}
	if !initial {
		return param, checkUCUQ(m, []byte(param))
	}
	// The node's double arithmetic, truncated where it assigns to uint64.
	rate := float64(m.IR) / 100.0
	first := libm.Uint64(float64(m.LQ) * libm.PowInt(1+rate, 1-int64(m.UN)))
	first = min(first, m.LQ)
	uc, uq := []uint64{period}, []uint64{first}
	totalUC, totalUQ := period, first
	for i := uint64(1); i < m.UN; i++ {
		c, q := period, libm.Uint64(float64(totalUQ)*rate)
		if i == m.UN-1 {
			c, q = m.LP-totalUC, m.LQ-totalUQ
		}
		uc, uq = append(uc, c), append(uq, q)
		totalUC += c
		totalUQ += q
	}
	join := func(xs []uint64) string {
		s := make([]string, len(xs))
		for i, x := range xs {
			s[i] = strconv.FormatUint(x, 10)
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprintf("PN=0;LH=%d;TYPE=3;LQ=%d;LP=%d;UN=%d;IR=%d;UC=%s;UQ=%s",
		lh, m.LQ, m.LP, m.UN, m.IR, join(uc), join(uq)), nil
}

// ValidateModel is validate_model_param, the check every attenuation output's param gets:
// a valid model, the common rules, LH > 0, and LH within the current period (for a
// fixed-quantity model's last period, PN·UC + LH ≤ LP).
func ValidateModel(param []byte, amount uint64) error {
	m, ok := script.ParseModelParam(param)
	if !ok || m.Type == script.ModelNone {
		return modelError(param, "not a valid model param")
	}
	if err := checkCommon(&m, param); err != nil {
		return err
	}
	if m.LH == 0 {
		return modelError(param, "LH is 0")
	}
	switch m.Type {
	case script.ModelFixedQuantity:
		uc := m.LP / m.UN
		if m.PN+1 == m.UN {
			if m.PN*uc+m.LH > m.LP {
				return modelError(param, "last period: PN·UC + LH exceeds LP %d", m.LP)
			}
		} else if m.LH > uc {
			return modelError(param, "LH %d is above the period %d", m.LH, uc)
		}
	case script.ModelCustom:
		if m.PN >= uint64(len(m.UC)) || m.LH > m.UC[m.PN] {
			return modelError(param, "LH %d is above period %d's length", m.LH, m.PN)
		}
	case script.ModelFixedInflation:
		if err := checkInflation(&m, param, amount); err != nil {
			return err
		}
		if err := checkUCUQ(&m, param); err != nil {
			return err
		}
		if m.LH > m.UC[m.PN] {
			return modelError(param, "LH %d is above period %d's length", m.LH, m.PN)
		}
	}
	return nil
}

// DiffHeight is get_diff_height: how many blocks the move from param prev to param next
// accounts for (next nil: to the end of the lock). ^uint64(0) when next does not follow
// prev. The node indexes UC without a bound check; here an out-of-range period counts as
// never reached.
func DiffHeight(prev, next []byte) uint64 {
	const never = ^uint64(0)
	m, ok := script.ParseModelParam(prev)
	if !ok || m.Type == script.ModelNone || m.UN == 0 { // UN=0: the node divides by zero
		return never
	}
	pn2, lh2 := m.UN-1, uint64(0)
	if len(next) > 0 {
		n, _ := script.ParseModelParam(next) // unset (unparsable) reads as 0, as the node's parser leaves it
		pn2, lh2 = n.PN, n.LH
	}
	switch {
	case m.PN > pn2:
		return never
	case m.PN == pn2:
		if m.LH <= lh2 {
			return never
		}
		return m.LH - lh2
	}
	switch m.Type {
	case script.ModelFixedQuantity:
		uc := m.LP / m.UN
		if pn2+1 == m.UN {
			return m.LP - lh2 - (m.PN+1)*uc + m.LH
		}
		return m.LH + (pn2-m.PN)*uc - lh2
	default: // custom and fixed inflation
		if pn2 >= uint64(len(m.UC)) {
			return never
		}
		d := m.LH
		for i := m.PN + 1; i <= pn2; i++ {
			d += m.UC[i]
		}
		return d - lh2
	}
}

// Unlock is get_available_asset_amount: of amount held under param, how much may be spent
// diff blocks after the output was confirmed, and the param the rest must carry when it is
// locked again (nil when nothing stays locked or the param names no model, which leaves the
// whole amount spendable).
//
// Quirk kept: for a fixed-quantity model the periods passed are capped at LP − PN − 1 where
// the node probably meant UN − PN − 1 (attenuation_model.cpp get_available_asset_amount).
func Unlock(amount, diff uint64, param []byte) (available uint64, next []byte) {
	if amount == 0 {
		return 0, nil
	}
	m, ok := script.ParseModelParam(param)
	if !ok || m.Type == script.ModelNone {
		return amount, nil
	}
	if amount > m.LQ {
		available = amount - m.LQ
	}
	if diff < m.LH { // still inside the current period
		return available, withPeriod(param, m.PN, m.LH-diff)
	}
	switch m.Type {
	case script.ModelFixedQuantity:
		if m.UN == 0 {
			return amount, nil // the node divides by zero here; ValidateModel rejects UN=0
		}
		uc := m.LP / m.UN
		elapsed := (diff - m.LH) + (m.PN+1)*uc
		if elapsed >= m.LP || uc == 0 {
			return amount, nil
		}
		cycles := min(elapsed/uc-m.PN, m.LP-m.PN-1)
		pn := m.PN + cycles
		lh := (pn+1)*uc - elapsed
		if pn+1 == m.UN {
			lh = m.LP - elapsed
		}
		return available + cycles*(m.LQ/m.UN), withPeriod(param, pn, lh)
	default: // custom and fixed inflation
		pn := m.PN
		if pn >= uint64(len(m.UQ)) {
			return amount, nil
		}
		available += m.UQ[pn]
		diff -= m.LH
		pn++
		for pn < m.UN && pn < uint64(len(m.UC)) && pn < uint64(len(m.UQ)) && diff >= m.UC[pn] {
			available += m.UQ[pn]
			diff -= m.UC[pn]
			pn++
		}
		if pn >= m.UN || pn >= uint64(len(m.UC)) {
			return amount, nil
		}
		return available, withPeriod(param, pn, m.UC[pn]-diff)
	}
}
