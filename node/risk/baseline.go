package risk

import "time"

// baseline is a client's own recent behaviour, as exponentially weighted moving averages.
// Comparing a payment with the client's own history catches what fixed limits cannot: a
// wallet that normally pays a few cents a minute suddenly paying its limit every second.
type baseline struct {
	attempts uint64
	approved uint64
	last     int64   // unix ns of the previous attempt
	shortRun int     // consecutive gaps below the profile's human minimum
	gapEWMA  float64 // seconds between attempts
	amtEWMA  float64 // approved amounts
}

const (
	ewmaAlpha    = 0.1
	maxGapSample = float64(time.Hour / time.Second) // one idle day must not dominate the average
	warmup       = 10                               // approvals before spikes are judged

	scoreBurst           = 60
	scoreNewCounterparty = 30 // interactive; a service pays many parties by design
	scoreNewCPService    = 10
	scoreAmountSpike     = 50
	scoreAmountHuge      = 70 // more than 100x the usual amount
	scoreRateSpike       = 25
	amountSpikeFactor    = 10
	amountHugeFactor     = 100
	rateSpikeFactor      = 20
)

// score judges one attempt against the baseline and records it as the latest attempt.
func (b *baseline) score(now int64, amount Amount, cfg *ClientConfig, newCounterparty bool) (int, ReasonSet) {
	var (
		score   int
		reasons ReasonSet
	)
	if b.attempts > 0 {
		gap := now - b.last
		if cfg.Profile == ProfileInteractive {
			minGap := int64(cfg.MinHumanGap)
			if gap < minGap {
				b.shortRun++
			} else {
				b.shortRun = 0
			}
			// Three payments inside two human gaps, or two closer than any click rate:
			// a script, not a person.
			if b.shortRun >= 2 || gap < minGap/8 {
				score += scoreBurst
				reasons.add(ReasonBurst)
			}
		}
		sec := min(float64(gap)/1e9, maxGapSample)
		if b.approved >= warmup && sec*rateSpikeFactor < b.gapEWMA {
			score += scoreRateSpike
			reasons.add(ReasonRateSpike)
		}
		b.gapEWMA += ewmaAlpha * (sec - b.gapEWMA)
	}
	b.attempts++
	b.last = now
	if b.approved >= warmup && b.amtEWMA > 0 {
		switch a := amount.Float(); {
		case a > amountHugeFactor*b.amtEWMA:
			score += scoreAmountHuge
			reasons.add(ReasonAmountSpike)
		case a > amountSpikeFactor*b.amtEWMA:
			score += scoreAmountSpike
			reasons.add(ReasonAmountSpike)
		}
	}
	if newCounterparty && b.approved > 0 {
		reasons.add(ReasonNewCounterparty)
		if cfg.Profile == ProfileInteractive {
			score += scoreNewCounterparty
		} else {
			score += scoreNewCPService
		}
	}
	return score, reasons
}

// approve folds an approved amount into the amount baseline.
func (b *baseline) approve(amount Amount) {
	a := amount.Float()
	if b.approved == 0 {
		b.amtEWMA = a
	} else {
		b.amtEWMA += ewmaAlpha * (a - b.amtEWMA)
	}
	b.approved++
}
