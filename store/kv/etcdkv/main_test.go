package etcdkv

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/sluicepay/sluice/store/kv/etcdkv/etcdlocal"
)

// shared is one real 3-member cluster for the tests that do not fail members; each test
// works in a namespace of its own.
var shared *etcdlocal.Cluster

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "etcdkv-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	shared, err = etcdlocal.Start(dir, 3, etcdlocal.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	shared.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

var namespaces atomic.Int64

func newClient(t *testing.T, endpoints []string) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{Endpoints: endpoints, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

func newBackend(t *testing.T, cli *clientv3.Client, cfg Config) *Backend {
	t.Helper()
	cfg.Client = cli
	if cfg.Prefix == "" {
		cfg.Prefix = fmt.Sprintf("test/%s/%d/", t.Name(), namespaces.Add(1))
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
