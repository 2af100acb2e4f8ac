package store

import (
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// Key prefixes (version 2 changed only the lock records, lock_record.go; version 3 added the tombstones, lock_tombstone.go). One byte each, documented in doc.go; a new record kind
// takes a new byte and, if it changes an existing layout, a schema version bump.
const (
	prefixSchema       byte = 0x00 // 0x00 "schema" -> uint32 version
	prefixChannel      byte = 'c'  // 'c' id(32) -> channel record
	prefixProof        byte = 'p'  // 'p' id(32) signer(1) -> proof record (fixed size)
	prefixPayment      byte = 'y'  // 'y' payment id(16) -> payment record
	prefixPaymentIndex byte = 'i'  // 'i' id(32) time(8) payment id(16) -> empty
	prefixPeer         byte = 'a'  // 'a' eth address(20) -> peer record
	prefixCursor       byte = 'k'  // 'k' -> chain cursor
	prefixOp           byte = 'o'  // 'o' op id(32) -> pending on-chain operation
	prefixMeta         byte = 'm'  // 'm' len(ns)(1) ns key -> opaque value
)

var schemaKey = []byte{prefixSchema, 's', 'c', 'h', 'e', 'm', 'a'}

var cursorKey = []byte{prefixCursor}

func channelKey(id channel.ID) []byte {
	return append([]byte{prefixChannel}, id[:]...)
}

func proofKey(id channel.ID, signer channel.Party) []byte {
	k := make([]byte, 0, 34)
	k = append(k, prefixProof)
	k = append(k, id[:]...)
	return append(k, byte(signer))
}

func paymentKey(id PaymentID) []byte {
	return append([]byte{prefixPayment}, id[:]...)
}

// paymentIndexPrefix is the range of one channel's payments, ordered by time then id.
func paymentIndexPrefix(ch channel.ID) []byte {
	return append([]byte{prefixPaymentIndex}, ch[:]...)
}

const paymentIndexKeyLen = 1 + 32 + 8 + 16

func paymentIndexKey(ch channel.ID, unixNano uint64, id PaymentID) []byte {
	k := make([]byte, 0, paymentIndexKeyLen)
	k = append(k, prefixPaymentIndex)
	k = append(k, ch[:]...)
	k = binary.BigEndian.AppendUint64(k, unixNano)
	return append(k, id[:]...)
}

func peerKey(addr common.Address) []byte {
	return append([]byte{prefixPeer}, addr[:]...)
}

func opKey(id OpID) []byte {
	return append([]byte{prefixOp}, id[:]...)
}

// maxNamespaceLen keeps the namespace length in one byte so namespaces never collide
// ("ab"+"c" and "a"+"bc" have different keys).
const maxNamespaceLen = 64

func metaPrefix(ns string) ([]byte, error) {
	if ns == "" || len(ns) > maxNamespaceLen {
		return nil, fmt.Errorf("meta namespace %q must be 1..%d bytes", ns, maxNamespaceLen)
	}
	k := make([]byte, 0, 2+len(ns))
	k = append(k, prefixMeta, byte(len(ns)))
	return append(k, ns...), nil
}

func metaKey(ns, key string) ([]byte, error) {
	p, err := metaPrefix(ns)
	if err != nil {
		return nil, err
	}
	if key == "" || len(key) > maxMetaKeyLen {
		return nil, fmt.Errorf("meta key %q in namespace %q must be 1..%d bytes", key, ns, maxMetaKeyLen)
	}
	return append(p, key...), nil
}

const maxMetaKeyLen = 256
