package store

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// get reads one key; a missing key is (nil, false, nil). Callers name the record in errors.
func (s *Store) get(key []byte) ([]byte, bool, error) {
	v, found, err := s.kv.Get(key)
	if err != nil {
		return nil, false, s.translateReadError(err)
	}
	return v, found, nil
}

// GetChannel returns a channel's record; found is false if the channel is unknown.
func (s *Store) GetChannel(id channel.ID) (rec ChannelRecord, found bool, err error) {
	raw, ok, err := s.get(channelKey(id))
	if err != nil {
		return ChannelRecord{}, false, wrapRead("channel "+id.String(), err)
	}
	if !ok {
		return ChannelRecord{}, false, nil
	}
	rec, err = decodeChannel(raw)
	if err != nil {
		return ChannelRecord{}, false, s.corrupt(err)
	}
	return rec, true, nil
}

// GetProof returns the latest proof signed by signer in channel id.
func (s *Store) GetProof(id channel.ID, signer channel.Party) (p channel.SignedProof, found bool, err error) {
	if signer > channel.PartyB {
		return p, false, fmt.Errorf("read proof of channel %s: signer %d is not A or B", id, signer)
	}
	raw, ok, err := s.get(proofKey(id, signer))
	if err != nil {
		return p, false, wrapRead(fmt.Sprintf("proof of channel %s signed by %s", id, signer), err)
	}
	if !ok {
		return p, false, nil
	}
	p, err = decodeProof(id, raw)
	if err != nil {
		return p, false, s.corrupt(err)
	}
	return p, true, nil
}

// GetProofs returns the latest proof signed by each party, indexed by signer; nil where
// that party has signed none yet.
func (s *Store) GetProofs(id channel.ID) ([2]*channel.SignedProof, error) {
	var out [2]*channel.SignedProof
	for _, party := range []channel.Party{channel.PartyA, channel.PartyB} {
		p, ok, err := s.GetProof(id, party)
		if err != nil {
			return out, err
		}
		if ok {
			out[party] = &p
		}
	}
	return out, nil
}

// GetPayment looks a payment up by id: the idempotency check before paying or crediting.
func (s *Store) GetPayment(id PaymentID) (rec PaymentRecord, found bool, err error) {
	var key [17]byte
	key[0] = prefixPayment
	copy(key[1:], id[:])
	raw, ok, err := s.get(key[:])
	if err != nil {
		return PaymentRecord{}, false, wrapRead("payment "+id.String(), err)
	}
	if !ok {
		return PaymentRecord{}, false, nil
	}
	rec, err = decodePayment(id, raw)
	if err != nil {
		return PaymentRecord{}, false, s.corrupt(err)
	}
	return rec, true, nil
}

// GetPeer returns the address-book entry for addr.
func (s *Store) GetPeer(addr common.Address) (rec PeerRecord, found bool, err error) {
	raw, ok, err := s.get(peerKey(addr))
	if err != nil {
		return PeerRecord{}, false, wrapRead("peer "+addr.Hex(), err)
	}
	if !ok {
		return PeerRecord{}, false, nil
	}
	rec, err = decodePeer(addr, raw)
	if err != nil {
		return PeerRecord{}, false, s.corrupt(err)
	}
	return rec, true, nil
}

// GetCursor returns the chain cursor; found is false before the first PutCursor.
func (s *Store) GetCursor() (c ChainCursor, found bool, err error) {
	raw, ok, err := s.get(cursorKey)
	if err != nil {
		return ChainCursor{}, false, wrapRead("chain cursor", err)
	}
	if !ok {
		return ChainCursor{}, false, nil
	}
	c, err = decodeCursor(raw)
	if err != nil {
		return ChainCursor{}, false, s.corrupt(err)
	}
	return c, true, nil
}

// GetOp returns an on-chain operation.
func (s *Store) GetOp(id OpID) (rec OpRecord, found bool, err error) {
	raw, ok, err := s.get(opKey(id))
	if err != nil {
		return OpRecord{}, false, wrapRead("op "+id.String(), err)
	}
	if !ok {
		return OpRecord{}, false, nil
	}
	rec, err = decodeOp(id, raw)
	if err != nil {
		return OpRecord{}, false, s.corrupt(err)
	}
	return rec, true, nil
}

// GetMeta returns a value another subsystem stored with Batch.PutMeta.
func (s *Store) GetMeta(namespace, key string) (value []byte, found bool, err error) {
	k, err := metaKey(namespace, key)
	if err != nil {
		return nil, false, fmt.Errorf("read meta: %w", err)
	}
	if s.absent.absent(s.kv, k) {
		return nil, false, nil
	}
	v, ok, err := s.get(k)
	if err != nil {
		return nil, false, wrapRead("meta "+namespace+"/"+key, err)
	}
	return v, ok, nil
}

func wrapRead(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("read %s: %w", what, err)
}

// corrupt reports a record that leveldb returned intact but that does not decode.
func (s *Store) corrupt(err error) error {
	return &CorruptError{Path: s.path, Err: err}
}
