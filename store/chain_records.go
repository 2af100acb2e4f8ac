package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// ChainCursor is how far the chain watcher has processed contract events.
type ChainCursor struct {
	Block     uint64
	BlockHash common.Hash // lets the watcher notice that the block was reorganised away
	LogIndex  uint64      // index of the last processed log within Block
}

func encodeCursor(c *ChainCursor) []byte {
	e := encoder{buf: make([]byte, 0, 48)}
	e.u64(c.Block)
	e.fixed(c.BlockHash[:])
	e.u64(c.LogIndex)
	return e.buf
}

func decodeCursor(b []byte) (ChainCursor, error) {
	var c ChainCursor
	d := decoder{b: b}
	c.Block = d.u64()
	d.fixed(c.BlockHash[:])
	c.LogIndex = d.u64()
	return c, d.finish("chain cursor")
}

// OpID names one on-chain operation. Derive it from what was decided (NewOpID) so that
// deciding the same thing twice, e.g. after a crash, finds the existing operation.
type OpID [32]byte

func (id OpID) String() string { return "0x" + hex.EncodeToString(id[:]) }

// NewOpID derives an operation id from its kind, channel and payload.
func NewOpID(kind string, ch channel.ID, payload []byte) OpID {
	h := sha256.New()
	h.Write([]byte{byte(len(kind))})
	h.Write([]byte(kind))
	h.Write(ch[:])
	h.Write(payload)
	var id OpID
	h.Sum(id[:0])
	return id
}

// OpState is where an on-chain operation stands. The node writes OpSubmitted (with the
// signed transaction) before it broadcasts, so after a crash it re-broadcasts the same
// transaction (same nonce) rather than a second one, and OpMined once a version of it is
// mined. OpDecided was written before signing by earlier versions; a node now drops such
// records at start (docs/adr/0015): their caller was never told they were submitted.
type OpState uint8

const (
	OpDecided   OpState = 1
	OpSubmitted OpState = 2
	OpMined     OpState = 3
)

func (s OpState) String() string {
	switch s {
	case OpDecided:
		return "decided"
	case OpSubmitted:
		return "submitted"
	case OpMined:
		return "mined"
	default:
		return fmt.Sprintf("opstate(%d)", uint8(s))
	}
}

// OpRecord is a pending or finished on-chain operation.
type OpRecord struct {
	ID      OpID
	Kind    string // chosen by the node, e.g. "settle", "updateProof"
	Channel channel.ID
	Payload []byte // the call's arguments, encoded by the node
	State   OpState
	TxHash  common.Hash // set from OpSubmitted on
	RawTx   []byte      // the signed transaction, to re-broadcast unchanged
	Updated time.Time
	// Replaced lists the earlier signed transactions of the operation that used the same
	// nonce as RawTx (replaced by a higher fee): any of them may still be the one mined.
	// Stored after Updated and only when non-empty, so records written before it existed
	// decode unchanged.
	Replaced []common.Hash
}

const (
	maxOpKindLen  = 64
	maxOpPayload  = 64 << 10
	maxOpRawTxLen = 128 << 10
	// MaxOpReplaced bounds the replacements of one transaction: at +12.5% each, 64 raise
	// a fee about 1,900-fold, past any sane fee ceiling.
	MaxOpReplaced = 64
)

func (r *OpRecord) validate() error {
	if r.Kind == "" || len(r.Kind) > maxOpKindLen {
		return fmt.Errorf("op %s: kind %q must be 1..%d bytes", r.ID, r.Kind, maxOpKindLen)
	}
	if r.State < OpDecided || r.State > OpMined {
		return fmt.Errorf("op %s: invalid state %d", r.ID, r.State)
	}
	if r.State != OpDecided && r.TxHash == (common.Hash{}) {
		return fmt.Errorf("op %s: state %s needs a transaction hash", r.ID, r.State)
	}
	if len(r.Payload) > maxOpPayload {
		return fmt.Errorf("op %s: payload of %d bytes exceeds %d", r.ID, len(r.Payload), maxOpPayload)
	}
	if len(r.Replaced) > MaxOpReplaced {
		return fmt.Errorf("op %s: %d replaced transactions exceed %d", r.ID, len(r.Replaced), MaxOpReplaced)
	}
	if len(r.RawTx) > maxOpRawTxLen {
		return fmt.Errorf("op %s: raw transaction of %d bytes exceeds %d", r.ID, len(r.RawTx), maxOpRawTxLen)
	}
	return checkTime("op "+r.ID.String()+" updated", r.Updated)
}

func encodeOp(r *OpRecord) []byte {
	e := encoder{buf: make([]byte, 0, 128+len(r.Payload)+len(r.RawTx))}
	e.str(r.Kind)
	e.fixed(r.Channel[:])
	e.uvarBytes(r.Payload)
	e.u8(uint8(r.State))
	e.fixed(r.TxHash[:])
	e.uvarBytes(r.RawTx)
	e.timestamp(r.Updated)
	if len(r.Replaced) > 0 {
		e.u8(uint8(len(r.Replaced)))
		for _, h := range r.Replaced {
			e.fixed(h[:])
		}
	}
	return e.buf
}

func decodeOp(id OpID, b []byte) (OpRecord, error) {
	r := OpRecord{ID: id}
	d := decoder{b: b}
	r.Kind = d.str(maxOpKindLen)
	d.fixed(r.Channel[:])
	r.Payload = d.uvarBytes(maxOpPayload)
	r.State = OpState(d.u8())
	d.fixed(r.TxHash[:])
	r.RawTx = d.uvarBytes(maxOpRawTxLen)
	r.Updated = d.timestamp()
	if d.err == nil && len(d.b) > 0 {
		n := int(d.u8())
		if n == 0 || n > MaxOpReplaced {
			return r, fmt.Errorf("decode op %s: %d replaced transactions: %w", id, n, errTrailing)
		}
		r.Replaced = make([]common.Hash, n)
		for i := range r.Replaced {
			d.fixed(r.Replaced[i][:])
		}
	}
	return r, d.finish("op " + id.String())
}
