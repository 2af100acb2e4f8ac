package risk

import (
	"math"
	"time"
)

// baseline is a client's own recent behaviour. Comparing a payment with the client's own
// history catches what fixed limits cannot: a wallet that normally pays a few cents a
// minute suddenly paying its limit every second.
//
// It learns only from completed payments (Engine.Complete, called once the payee
// acknowledged the proof): a reservation given back, a declined attempt or a retry of a
// paid id never moves it (issue 22, finding 9). And it learns at a bounded pace per unit of
// time, so a thief cannot walk the usual amount up by paying fast (finding 13).
type baseline struct {
	attempts uint64
	approved uint64 // completed payments
	last     int64  // unix ns of the previous attempt
	shortRun int    // consecutive attempt gaps below the profile's human minimum
	rateRun  int    // consecutive attempts with a rate spike above elevatedFactor x usual
	lastDone int64  // unix ns of the previous completed payment
	gapEWMA  float64
	usual    float64 // the usual amount of a completed payment
	// excess is the ramp accumulator: how far recent payments went above rampTolerance
	// times the usual amount, in units of the usual amount, decaying with rampHalfLife.
	// Approvals add to it at once (so concurrent requests see each other) and give it back
	// on Release.
	excess   float64
	excessAt int64 // unix ns excess was last brought up to date
}

const (
	ewmaAlpha    = 0.1
	maxGapSample = float64(time.Hour / time.Second) // one idle day must not dominate the average
	warmup       = 10                               // completed payments before spikes are judged
	// learnPeriod bounds how fast the usual amount learns after warm-up: a completed
	// payment weighs ewmaAlpha only if it comes learnPeriod or more after the previous one,
	// proportionally less if sooner. A hundred payments in a minute teach what one does.
	learnPeriod = float64(10 * time.Minute)

	// The ramp rule (interactive clients): each payment above rampTolerance x usual adds
	// (amount/usual - rampTolerance) to excess; a payment that would bring it to
	// rampThreshold or more scores scoreAmountRamp. With a 6 h half-life, four payments at
	// 9.5x usual within hours, or ten at 5x, ask for the device.
	rampTolerance   = 3.0
	rampThreshold   = 20.0
	rampHalfLife    = float64(6 * time.Hour)
	scoreAmountRamp = 50

	scoreBurst           = 60
	scoreNewCounterparty = 30 // interactive; a service pays many parties by design
	scoreNewCPService    = 10
	scoreAmountSpike     = 50
	scoreAmountHuge      = 70 // more than 100x the usual amount
	scoreRateSpike       = 25
	amountSpikeFactor    = 10
	amountHugeFactor     = 100
	rateSpikeFactor      = 20
	// sustainedRateRun rate spikes in a row (interactive) score twice: a script.
	sustainedRateRun = 10
	elevatedFactor   = 1.5
)

// verdict is what scoring one attempt found; units is the ramp charge an approval adds.
type verdict struct {
	score   int
	reasons ReasonSet
	units   float64
}

// score judges one attempt against the baseline and records it as the latest attempt
// (only the burst rule looks at attempts: counting them can only make it stricter).
func (b *baseline) score(now int64, amount Amount, cfg *ClientConfig, newCounterparty bool) verdict {
	var v verdict
	interactive := cfg.Profile == ProfileInteractive
	if b.attempts > 0 && interactive {
		gap := now - b.last
		minGap := int64(cfg.MinHumanGap)
		if gap < minGap {
			b.shortRun++
		} else {
			b.shortRun = 0
		}
		// Three payments inside two human gaps, or two closer than any click rate:
		// a script, not a person.
		if b.shortRun >= 2 || gap < minGap/8 {
			v.score += scoreBurst
			v.reasons.add(ReasonBurst)
		}
	}
	b.attempts++
	b.last = now
	ratio := 0.0
	if b.usual > 0 {
		ratio = amount.Float() / b.usual
	}
	if b.approved >= warmup {
		if sec := min(float64(now-b.lastDone)/1e9, maxGapSample); sec*rateSpikeFactor < b.gapEWMA {
			v.score += scoreRateSpike
			v.reasons.add(ReasonRateSpike)
			// Paying well above the usual, many times in a row, far faster than usual: a
			// script spending just below every other rule, not a person's quick session.
			if ratio > elevatedFactor {
				b.rateRun++
			} else {
				b.rateRun = 0
			}
			if interactive && b.rateRun > sustainedRateRun {
				v.score += scoreRateSpike
			}
		} else {
			b.rateRun = 0
		}
	}
	if b.approved >= warmup && b.usual > 0 {
		switch {
		case ratio > amountHugeFactor:
			v.score += scoreAmountHuge
			v.reasons.add(ReasonAmountSpike)
		case ratio > amountSpikeFactor:
			v.score += scoreAmountSpike
			v.reasons.add(ReasonAmountSpike)
		}
		if interactive && ratio > rampTolerance {
			v.units = ratio - rampTolerance
			if b.decayedExcess(now)+v.units >= rampThreshold {
				v.score += scoreAmountRamp
				v.reasons.add(ReasonAmountRamp)
			}
		}
	}
	if newCounterparty && b.approved > 0 {
		v.reasons.add(ReasonNewCounterparty)
		if interactive {
			v.score += scoreNewCounterparty
		} else {
			v.score += scoreNewCPService
		}
	}
	return v
}

// decay is the factor excess keeps over dt nanoseconds.
func decay(dt int64) float64 {
	if dt <= 0 {
		return 1
	}
	return math.Exp2(-float64(dt) / rampHalfLife)
}

func (b *baseline) decayedExcess(now int64) float64 {
	return b.excess * decay(now-b.excessAt)
}

// reserve charges an approval's ramp units at decision time.
func (b *baseline) reserve(now int64, units float64) {
	if units <= 0 {
		return
	}
	b.excess = b.decayedExcess(now) + units
	b.excessAt = max(b.excessAt, now)
}

// release gives back the ramp units of an approval made at `at`, as far as they have not
// decayed already.
func (b *baseline) release(now, at int64, units float64) {
	if units <= 0 {
		return
	}
	b.excess = max(0, b.decayedExcess(now)-units*decay(now-at))
	b.excessAt = max(b.excessAt, now)
}

// clearExcess forgets the ramp: the device's owner has just confirmed a payment.
func (b *baseline) clearExcess(now int64) { b.excess, b.excessAt = 0, now }

// complete folds a completed payment into the baseline.
func (b *baseline) complete(now int64, amount Amount) {
	a := amount.Float()
	if b.approved > 0 {
		sec := min(float64(now-b.lastDone)/1e9, maxGapSample)
		if b.approved == 1 {
			b.gapEWMA = sec
		} else {
			b.gapEWMA += ewmaAlpha * (sec - b.gapEWMA)
		}
	}
	switch {
	case b.approved < warmup:
		// The first payments set the usual amount as their plain mean, so one odd first
		// payment does not make every later one a spike.
		b.usual += (a - b.usual) / float64(b.approved+1)
	default:
		// An outlier teaches as much as a payment rampTolerance times the usual: one
		// large payment after a pause cannot make the next large ones look usual.
		w := ewmaAlpha * min(1, float64(max(now-b.lastDone, 0))/learnPeriod)
		b.usual += w * (min(a, rampTolerance*b.usual) - b.usual)
	}
	b.lastDone = max(b.lastDone, now)
	b.approved++
}
