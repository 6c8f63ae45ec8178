package p2p

import "time"

// Rate is a token bucket: Burst tokens at most, refilled at PerSecond. A zero Rate
// (Burst 0) means no limit.
type Rate struct {
	PerSecond float64
	Burst     float64
}

// bucket is used by one peer's read loop only, so it needs no lock.
type bucket struct {
	rate   Rate
	tokens float64
	last   time.Time
}

func newBucket(r Rate, now time.Time) bucket {
	return bucket{rate: r, tokens: r.Burst, last: now}
}

// take removes n tokens, or reports false and removes none when fewer are left.
func (b *bucket) take(n int, now time.Time) bool {
	if b.rate.Burst <= 0 {
		return true
	}
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(b.rate.Burst, b.tokens+dt*b.rate.PerSecond)
		b.last = now
	}
	if float64(n) > b.tokens {
		return false
	}
	b.tokens -= float64(n)
	return true
}
