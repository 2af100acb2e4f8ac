// Package etcdlocal starts a real etcd cluster of several members inside this process
// (etcd's embed server), each in its own data directory with its own client and peer
// ports on 127.0.0.1. Tests use it to fail members and partition the majority;
// `sluice bench --store etcd` measures against it. It is not how an operator runs etcd.
package etcdlocal

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/server/v3/embed"

	_ "github.com/sluicepay/sluice/internal/protoreg" // pubsub and etcd both register "rpc.proto"
)

// Cluster is an embedded etcd cluster.
type Cluster struct {
	mu      sync.Mutex
	cfgs    []*embed.Config
	members []*embed.Etcd // nil while stopped
}

// Options tune the cluster; the zero value gives etcd's defaults.
type Options struct {
	// MaxTxnOps is the members' --max-txn-ops (default etcd's 128).
	MaxTxnOps uint
}

// Start starts n members under dir and waits until they serve clients.
func Start(dir string, n int, o Options) (*Cluster, error) {
	if n < 1 {
		return nil, errors.New("etcdlocal: need at least one member")
	}
	c := &Cluster{members: make([]*embed.Etcd, n)}
	ports, err := freePorts(2 * n)
	if err != nil {
		return nil, err
	}
	var initial []string
	for i := range n {
		cfg := embed.NewConfig()
		cfg.Name = fmt.Sprintf("m%d", i)
		cfg.Dir = filepath.Join(dir, cfg.Name)
		cfg.LogLevel = "error"
		cfg.InitialClusterToken = "sluice-etcdlocal"
		if o.MaxTxnOps > 0 {
			cfg.MaxTxnOps = o.MaxTxnOps
		}
		// A quick failure detector for tests: leader loss is noticed in about 0.5 s.
		cfg.TickMs = 50
		cfg.ElectionMs = 500
		peer := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i])}
		client := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", ports[2*i+1])}
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
		initial = append(initial, cfg.Name+"="+peer.String())
		c.cfgs = append(c.cfgs, cfg)
	}
	for _, cfg := range c.cfgs {
		cfg.InitialCluster = strings.Join(initial, ",")
	}
	// Members wait for each other's votes, so they start together.
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = c.StartMember(i) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// freePorts finds n distinct free ports, holding each open until all are found.
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Endpoints are the members' client URLs, stopped members included.
func (c *Cluster) Endpoints() []string {
	var out []string
	for _, cfg := range c.cfgs {
		out = append(out, cfg.AdvertiseClientUrls[0].String())
	}
	return out
}

// Size is the number of members.
func (c *Cluster) Size() int { return len(c.cfgs) }

// StartMember (re)starts member i on its data directory and ports.
func (c *Cluster) StartMember(i int) error {
	c.mu.Lock()
	if c.members[i] != nil {
		c.mu.Unlock()
		return nil
	}
	cfg := c.cfgs[i]
	c.mu.Unlock()
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return fmt.Errorf("etcdlocal: start member %s: %w", cfg.Name, err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return fmt.Errorf("etcdlocal: member %s: %w", cfg.Name, err)
	case <-time.After(30 * time.Second):
		e.Close()
		return fmt.Errorf("etcdlocal: member %s not ready after 30 s", cfg.Name)
	}
	c.mu.Lock()
	c.members[i] = e
	c.mu.Unlock()
	return nil
}

// StopMember stops member i; its data directory stays for StartMember.
func (c *Cluster) StopMember(i int) {
	c.mu.Lock()
	e := c.members[i]
	c.members[i] = nil
	c.mu.Unlock()
	if e != nil {
		e.Close()
	}
}

// Close stops every member.
func (c *Cluster) Close() {
	for i := range c.cfgs {
		c.StopMember(i)
	}
}
