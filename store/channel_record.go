package store

import (
	"fmt"
	"math/big"

	"github.com/sluicepay/sluice/channel"
)

// ChannelRecord is the persisted, slowly changing state of one channel: everything except
// the latest balance proofs, which change on every payment and live in their own fixed-size
// records (see Batch.PutProof and Store.GetProofs). The node maps its in-memory state to it.
type ChannelRecord struct {
	Params channel.Params
	// Self is the end of the channel this node is.
	Self        channel.Party
	Status      channel.Status
	Deposit     [2]*big.Int // indexed by Party, as the contract reports them
	Withdrawn   [2]*big.Int
	SettleAfter uint64 // unix seconds; 0 while Open
	// Withdrawals are Withdrawal messages this node has signed that have neither executed
	// on chain nor expired; they reserve the withdrawer's balance.
	Withdrawals []WithdrawalRecord
	// Settlement is non-nil once this node has signed a cooperative settlement; from then
	// on the channel makes and accepts no further payments.
	Settlement *SettlementRecord
}

// WithdrawalRecord is a Withdrawal with the signatures collected so far (zero when missing).
type WithdrawalRecord struct {
	channel.Withdrawal
	Sigs [2]channel.Signature // indexed by Party
}

// SettlementRecord is a Settlement with the signatures collected so far (zero when missing).
type SettlementRecord struct {
	channel.Settlement
	Sigs [2]channel.Signature // indexed by Party
}

// maxWithdrawals bounds a decoded record so corrupt lengths cannot allocate without limit.
const maxWithdrawals = 1024

func (r *ChannelRecord) validate() error {
	if r.Self > channel.PartyB {
		return fmt.Errorf("channel %s: self party %d is not A or B", r.Params.ID, r.Self)
	}
	if r.Status > channel.StatusSettled {
		return fmt.Errorf("channel %s: unknown status %d", r.Params.ID, r.Status)
	}
	if len(r.Withdrawals) > maxWithdrawals {
		return fmt.Errorf("channel %s: %d pending withdrawals exceed %d", r.Params.ID, len(r.Withdrawals), maxWithdrawals)
	}
	if err := checkAmount("chain id", r.Params.Domain.ChainID); err != nil {
		return fmt.Errorf("channel %s: %w", r.Params.ID, err)
	}
	for p := range 2 {
		party := channel.Party(p)
		if err := checkAmount("deposit "+party.String(), r.Deposit[p]); err != nil {
			return fmt.Errorf("channel %s: %w", r.Params.ID, err)
		}
		if err := checkAmount("withdrawn "+party.String(), r.Withdrawn[p]); err != nil {
			return fmt.Errorf("channel %s: %w", r.Params.ID, err)
		}
	}
	for i, w := range r.Withdrawals {
		if err := checkAmount(fmt.Sprintf("withdrawal %d total", i), w.TotalWithdrawn); err != nil {
			return fmt.Errorf("channel %s: %w", r.Params.ID, err)
		}
	}
	if s := r.Settlement; s != nil {
		if err := checkAmount("settlement balance A", s.BalanceA); err != nil {
			return fmt.Errorf("channel %s: %w", r.Params.ID, err)
		}
		if err := checkAmount("settlement balance B", s.BalanceB); err != nil {
			return fmt.Errorf("channel %s: %w", r.Params.ID, err)
		}
	}
	return nil
}

func encodeChannel(r *ChannelRecord) []byte {
	e := encoder{buf: make([]byte, 0, 256)}
	p := &r.Params
	e.fixed(p.ID[:])
	e.amount(p.Domain.ChainID)
	e.fixed(p.Domain.Contract[:])
	e.fixed(p.Participants[0][:])
	e.fixed(p.Participants[1][:])
	e.fixed(p.Token[:])
	e.u64(p.ChallengePeriod)
	e.u8(uint8(r.Self))
	e.u8(uint8(r.Status))
	for i := range 2 {
		e.amount(r.Deposit[i])
		e.amount(r.Withdrawn[i])
	}
	e.u64(r.SettleAfter)
	e.u64(uint64(len(r.Withdrawals)))
	for _, w := range r.Withdrawals {
		e.fixed(w.Participant[:])
		e.amount(w.TotalWithdrawn)
		e.u64(w.Expiry)
		e.fixed(w.Sigs[0][:])
		e.fixed(w.Sigs[1][:])
	}
	if r.Settlement == nil {
		e.u8(0)
	} else {
		e.u8(1)
		e.amount(r.Settlement.BalanceA)
		e.amount(r.Settlement.BalanceB)
		e.fixed(r.Settlement.Sigs[0][:])
		e.fixed(r.Settlement.Sigs[1][:])
	}
	return e.buf
}

func decodeChannel(b []byte) (ChannelRecord, error) {
	var r ChannelRecord
	d := decoder{b: b}
	p := &r.Params
	d.fixed(p.ID[:])
	p.Domain.ChainID = d.amount()
	d.fixed(p.Domain.Contract[:])
	d.fixed(p.Participants[0][:])
	d.fixed(p.Participants[1][:])
	d.fixed(p.Token[:])
	p.ChallengePeriod = d.u64()
	r.Self = channel.Party(d.u8())
	r.Status = channel.Status(d.u8())
	for i := range 2 {
		r.Deposit[i] = d.amount()
		r.Withdrawn[i] = d.amount()
	}
	r.SettleAfter = d.u64()
	n := d.u64()
	if n > maxWithdrawals {
		return r, fmt.Errorf("decode channel record: %d withdrawals exceed %d", n, maxWithdrawals)
	}
	for range n {
		w := WithdrawalRecord{Withdrawal: channel.Withdrawal{Channel: p.ID}}
		d.fixed(w.Participant[:])
		w.TotalWithdrawn = d.amount()
		w.Expiry = d.u64()
		d.fixed(w.Sigs[0][:])
		d.fixed(w.Sigs[1][:])
		r.Withdrawals = append(r.Withdrawals, w)
	}
	if d.u8() == 1 {
		s := &SettlementRecord{Settlement: channel.Settlement{Channel: p.ID}}
		s.BalanceA = d.amount()
		s.BalanceB = d.amount()
		d.fixed(s.Sigs[0][:])
		d.fixed(s.Sigs[1][:])
		r.Settlement = s
	}
	if err := d.finish("channel record"); err != nil {
		return r, err
	}
	if r.Self > channel.PartyB || r.Status > channel.StatusSettled {
		return r, fmt.Errorf("decode channel record %s: party %d or status %d out of range", p.ID, r.Self, r.Status)
	}
	return r, nil
}
