package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/chain/follow"
	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/p2p"
	"github.com/sluicepay/sluice/store"
)

// Version is reported by Info.
const Version = "0.1.0"

// Node is a running Sluice daemon: one identity, one store, one transport, one chain.
type Node struct {
	cfg       Config
	log       *slog.Logger
	signer    channel.Signer
	domain    channel.Domain
	store     Storage
	transport Transport
	chain     Chain
	metrics   *metrics
	subs      *subscribers
	durable   *durableQueue
	heads     headReads // PayTo's shared chain head read (pay_to_expiry.go)

	chans sync.Map // channel.ID -> *liveChannel
	inboundState

	// ops serialises on-chain submissions per node, so one account never races its own
	// nonces; the payment path never touches it.
	ops *opRunner
	// opens is the channel-open negotiation in both directions.
	opens *openNegotiation
	// tower keeps a watchtower up to date; nil without Config.Tower (tower_client.go).
	tower *towerLink
	// routing is the channel graph, its gossip and the announcer (routing.go).
	routing *routingState
	// inv is the invoice exchange (invoice.go), made on first use.
	inv     *invoiceExchange
	invOnce sync.Once
	// dormant remembers unsolicited channels the node does not track (channel_admission.go).
	dormant *dormantSet
	// balance is the node account's last read native balance (account_balance.go).
	balance accountBalance
	// med is the mediated-transfer state (mediated.go).
	med *mediation
	// fwd is the forwarding limits and lock-griefing counts (forward_limits.go).
	fwd *forwardGuard
	// claims resolves pending locks on chain (mediated_claim.go).
	claims *lockClaims
	// payToInflight holds the payment ids of routed payments being made (pay_to_repeat.go).
	payToInflight sync.Map
	// watcher state: the follower reads the chain (chain/follow); synced is the last
	// block up to which every event was applied (the persisted cursor).
	follower *follow.Follower[ChainEvent]
	synced   atomic.Uint64
	head     atomic.Uint64
	// confirmations is the depth funds-increasing events wait for; tests change it.
	confirmations atomic.Uint64
	// reorged are channels a reorganisation touched, still to reconcile with the chain.
	reorgMu sync.Mutex
	reorged map[channel.ID]bool
	outage  chainOutage // owned by the watcher goroutine

	ctx     context.Context // ends at Close; parents every goroutine
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex // guards started, closed
	started bool
	closed  bool
}

// New assembles a node from cfg: it opens the store under cfg.DataDir, connects to the
// chain, loads the channels and starts the libp2p host. Call Start to begin processing.
func New(ctx context.Context, cfg Config) (*Node, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := cfg.withDefaults()
	st := c.Store
	if st == nil {
		var err error
		st, err = store.Open(filepath.Join(c.DataDir, "db"), store.Options{
			Commit: store.CommitConfig{MaxGroupEntries: 4 * c.CommitMaxBatch, MaxDelay: c.CommitMaxDelay},
			Logger: c.Logger,
		})
		if err != nil {
			return nil, fmt.Errorf("new node: %w", err)
		}
	}
	chain, err := dialChain(ctx, c)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("new node: %w", err)
	}
	n, err := assemble(c, st, chain, func(h p2p.Handler) (Transport, error) {
		d := chain.Domain()
		t, err := p2p.New(p2p.Config{
			Key: c.Key, ListenAddrs: c.ListenAddrs, AnnounceAddrs: c.AnnounceAddrs, ChainID: d.ChainID, Contract: d.Contract,
			Handler: h, Logger: c.Logger, StaticPeers: c.StaticPeers,
			AddressBook: storeAddressBook{st},
			Limits:      peerLimits(c.PeerLimits, measureVerifyRate),
		})
		if err != nil || c.WrapTransport == nil {
			return t, err
		}
		return c.WrapTransport(t), nil
	})
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("new node: %w", err)
	}
	return n, nil
}

// assemble wires a node from its parts; tests use it to wrap a real part.
func assemble(c Config, st Storage, chain Chain, mkTransport func(p2p.Handler) (Transport, error)) (*Node, error) {
	ks, err := channel.NewKeySigner(c.Key)
	if err != nil {
		return nil, err
	}
	var signer channel.Signer = ks
	if c.WrapSigner != nil {
		signer = c.WrapSigner(ks)
	}
	n := &Node{
		cfg:    c,
		log:    c.Logger.With("component", "node", "address", signer.Address()),
		signer: signer,
		domain: chain.Domain(),
		store:  st,
		chain:  chain,
		subs:   newSubscribers(),
	}
	n.inbound = map[common.Address]*inbound{}
	n.verify.jobs = make(chan *inboundMsg, inboundQueueLen)
	n.ctx, n.cancel = context.WithCancel(context.Background())
	if c.Confirmations != nil {
		n.confirmations.Store(*c.Confirmations)
	} else {
		n.confirmations.Store(follow.DefaultConfirmations(n.domain.ChainID))
	}
	n.reorged = map[channel.ID]bool{}
	n.metrics, err = newMetrics(c.Metrics,
		func() float64 { return float64(st.Stats().Syncs) },
		func() float64 { return float64(st.Stats().Commits) })
	if err != nil {
		return nil, fmt.Errorf("register metrics: %w", err)
	}
	n.durable = newDurableQueue(st.Commit, n.performAfterCommit, c.CommitMaxBatch)
	n.durable.observe = func(d time.Duration) { n.metrics.commitLatency.Observe(d.Seconds()) }
	n.ops = newOpRunner(n)
	n.opens = newOpenNegotiation()
	n.dormant = newDormantSet(c.Metrics)
	n.med = newMediation(c)
	if n.fwd, err = newForwardGuard(c.Forwarding, c.Metrics); err != nil {
		return nil, err
	}
	n.claims = newLockClaims()
	if n.cfg.Open, err = c.Open.resolve(n.domain.ChainID, c.DefaultChallengePeriod); err != nil {
		return nil, err
	}
	if err := n.loadChannels(); err != nil {
		return nil, err
	}
	if err := n.loadLockMsgs(); err != nil {
		return nil, err
	}
	if err := n.loadRefusals(); err != nil {
		return nil, err
	}
	if err := n.loadForwards(); err != nil {
		return nil, err
	}
	if err := n.loadEndorsements(); err != nil {
		return nil, err
	}
	if err := n.initRouting(); err != nil {
		return nil, err
	}
	n.reviewChannelPolicy()
	var start follow.Start
	if cur, found, err := st.GetCursor(); err != nil {
		return nil, fmt.Errorf("load chain cursor: %w", err)
	} else if found {
		n.synced.Store(cur.Block)
		start = follow.Start{Next: cur.Block + 1, PrevHash: cur.BlockHash}
	} else if c.StartBlock > 0 {
		n.synced.Store(c.StartBlock - 1)
		start = follow.Start{Next: c.StartBlock}
	}
	n.newFollower(start)
	// The transport may dial static peers and call the handler before it is returned, so
	// the handler waits until the node can send.
	h := &handlerGate{n: n, ready: make(chan struct{})}
	defer close(h.ready)
	t, err := mkTransport(h)
	if err != nil {
		return nil, err
	}
	n.transport = t
	if err := c.Metrics.Register(transportCollector{t}); err != nil {
		t.Close()
		return nil, fmt.Errorf("register transport metrics: %w", err)
	}
	return n, nil
}

// handlerGate holds transport callbacks until assemble has finished wiring the node.
type handlerGate struct {
	n     *Node
	ready chan struct{}
}

func (h *handlerGate) wait() bool {
	<-h.ready
	return h.n.transport != nil
}

func (h *handlerGate) PeerConnected(peer common.Address) {
	if h.wait() {
		h.n.PeerConnected(peer)
	}
}

func (h *handlerGate) HandleMessage(from common.Address, msg p2p.Message) {
	if h.wait() && !h.n.handleOpenMessage(from, msg) {
		h.n.HandleMessage(from, msg)
	}
}

func (h *handlerGate) PeerDisconnected(peer common.Address) {
	if h.wait() {
		h.n.PeerDisconnected(peer)
	}
}

func (n *Node) loadChannels() error {
	cursor := ""
	for {
		page, err := n.store.ListChannels(cursor, 1000)
		if err != nil {
			return fmt.Errorf("load channels: %w", err)
		}
		for _, r := range page.Channels {
			proofs, err := n.store.GetProofs(r.Params.ID)
			if err != nil {
				return fmt.Errorf("load channel %s: %w", r.Params.ID, err)
			}
			var latest [2]channel.SignedProof
			for i, p := range proofs {
				if p != nil {
					latest[i] = *p
				} else {
					latest[i] = channel.SignedProof{BalanceProof: channel.BalanceProof{Channel: r.Params.ID, Transferred: new(big.Int)}}
				}
			}
			locks, err := n.loadLocks(r.Params.ID)
			if err != nil {
				return fmt.Errorf("load channel %s: %w", r.Params.ID, err)
			}
			lc, err := restoreChannel(r, latest, locks, n.cfg.PipelineWindow)
			if err != nil {
				return fmt.Errorf("load channel %s: %w", r.Params.ID, err)
			}
			// The count in channel views is the log's, not this process's (issue 21, finding 7).
			if lc.payments, err = n.store.CountPayments(r.Params.ID); err != nil {
				return fmt.Errorf("load channel %s: %w", r.Params.ID, err)
			}
			if err := n.loadAcked(lc); err != nil {
				return err
			}
			n.med.locks.addAll(lc)
			n.chans.Store(lc.id, lc)
			n.metrics.channels.WithLabelValues(r.Status.String()).Inc()
		}
		if page.Next == "" {
			return nil
		}
		cursor = page.Next
	}
}

// Start begins processing: the durable write queue, the chain watcher and the resumption
// of on-chain operations a previous run left unfinished.
func (n *Node) Start(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return ErrClosed
	}
	if n.started {
		return errors.New("node already started")
	}
	if err := n.startTowerLink(); err != nil {
		return fmt.Errorf("start node: %w", err)
	}
	if err := n.startRouting(); err != nil {
		return fmt.Errorf("start node: routing: %w", err)
	}
	n.started = true
	n.goTrackedLocked(func() { n.durable.run(n.ctx) })
	n.startVerifier(n.ctx)
	n.goTrackedLocked(func() { n.runWatcher(n.ctx) })
	n.goTrackedLocked(func() { n.runMediation(n.ctx) })
	n.goTrackedLocked(func() { n.runLockResend(n.ctx) })   // unacknowledged lock proofs (lock_resend.go)
	n.goTrackedLocked(func() { n.runInvoiceSweep(n.ctx) }) // expired unpaid invoices (invoice_gc.go)
	n.goTrackedLocked(func() { n.ops.resume(n.ctx) })
	return nil
}

// Close stops every goroutine the node started, then the transport and the store.
func (n *Node) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	n.mu.Unlock()
	n.cancel()
	// Routing gossip runs on the transport's host: it stops before the host does.
	n.stopRouting()
	// The transport first: no handler call may arrive once the queue is gone.
	terr := n.transport.Close()
	n.wg.Wait()
	var aerr error
	if n.started {
		// Nothing acknowledges any more: a restart then answers retries of these at once.
		aerr = n.storeAckedNonces()
	} else {
		n.durable.drain()
	}
	serr := n.store.Close()
	cerr := n.chain.Close()
	return errors.Join(terr, aerr, serr, cerr)
}

func (n *Node) usable() error {
	if n.ctx.Err() != nil {
		return ErrClosed
	}
	return nil
}

// goTracked runs fn in a goroutine Close waits for, unless Close has begun; it reports
// whether fn was started.
func (n *Node) goTracked(fn func()) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.goTrackedLocked(fn)
}

func (n *Node) goTrackedLocked(fn func()) bool {
	if n.closed {
		return false
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		fn()
	}()
	return true
}

func (n *Node) channel(id channel.ID) *liveChannel {
	v, ok := n.chans.Load(id)
	if !ok {
		return nil
	}
	return v.(*liveChannel)
}

// performAfterCommit runs on the durable queue's goroutine, in queue order. Acks go out
// newest first and only one per channel per group: an Ack covers every earlier nonce.
func (n *Node) performAfterCommit(seq uint64, after []afterCommit, err error) {
	for i := range after {
		a := &after[i]
		switch a.kind {
		case afterSendPay:
			n.sendPay(a, err)
		case afterSignal:
			a.done <- err
		case afterSendLock:
			n.sendLockMsg(a, err)
		case afterSendAck:
			if a.incoming != nil && err == nil {
				n.subs.publishPayment(*a.incoming)
			}
		}
	}
	for i := len(after) - 1; i >= 0; i-- {
		a := &after[i]
		if a.kind != afterSendAck || err != nil {
			continue
		}
		if seq != 0 && a.ch.ackStamp == seq {
			continue
		}
		a.ch.ackStamp = seq
		if serr := n.transport.Send(n.ctx, a.ch.peer, &p2p.Ack{Channel: a.ch.id, Nonce: a.nonce}); serr != nil {
			n.log.Debug("ack not sent", "channel", a.ch.id, "nonce", a.nonce, "err", serr)
		}
	}
	for i := range after {
		if then := after[i].then; then != nil && err == nil {
			n.goTracked(then)
		}
	}
	if err != nil && !errors.Is(err, errQueueClosed) {
		n.log.Error("durable write failed; nothing more will be acknowledged", "err", err)
	}
	if err == nil && len(after) > 0 {
		n.routingTouched() // a payment moved a balance: the announcer looks (coalesced)
	}
}

// persist commits a channel's record through the durable queue, ordered after every
// proof queued before it. Callers hold lc.mu.
func (n *Node) persistLocked(lc *liveChannel) (chan error, error) {
	rec := lc.record()
	done := make(chan error, 1)
	err := n.durable.enqueue(func(b *store.Batch) error { return b.PutChannel(rec) }, afterCommit{kind: afterSignal, done: done})
	return done, err
}

// persist writes lc's record and waits until it is durable.
func (n *Node) persist(ctx context.Context, lc *liveChannel) error {
	lc.mu.Lock()
	done, err := n.persistLocked(lc)
	lc.mu.Unlock()
	if err != nil {
		return fmt.Errorf("persist channel %s: %w", lc.id, err)
	}
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("persist channel %s: %w", lc.id, err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
