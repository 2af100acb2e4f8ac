package benchrun

import (
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
)

// countingSigner counts every signature a node makes (node.Config.WrapSigner), so the
// routed bench reports the signatures a payment really cost instead of a constant.
type countingSigner struct {
	inner channel.Signer
	n     *atomic.Int64
}

func (s countingSigner) Address() common.Address { return s.inner.Address() }

func (s countingSigner) SignDigest(d common.Hash) (channel.Signature, error) {
	s.n.Add(1)
	return s.inner.SignDigest(d)
}

// signCounter wraps signers so their signatures add to one count.
type signCounter struct{ n atomic.Int64 }

func (c *signCounter) wrap(s channel.Signer) channel.Signer { return countingSigner{inner: s, n: &c.n} }
