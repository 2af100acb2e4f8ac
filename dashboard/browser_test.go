package dashboard_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node"
	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/node/devcluster"
)

// browserTimeout bounds the whole browser test; it takes 20-35 s, the rest is headroom
// for a loaded machine.
const browserTimeout = 150 * time.Second

// chromiumPath finds Debian's chromium. scripts/test installs it and sets
// SLUICE_REQUIRE_BROWSER=1, as CI does, so there a missing browser fails the run.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found: install Debian's chromium package (apt-get install -y chromium); scripts/test does it"
	if os.Getenv("SLUICE_REQUIRE_BROWSER") != "" || os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// artifactDir is where a test's screenshots go: $SLUICE_ARTIFACTS/dashboard/<test>, or a
// fresh directory in the system temp dir. The test prints it.
func artifactDir(t *testing.T) string {
	base := os.Getenv("SLUICE_ARTIFACTS")
	var dir string
	var err error
	if base != "" {
		dir = filepath.Join(base, "dashboard", t.Name())
		err = os.MkdirAll(dir, 0o755)
	} else {
		dir, err = os.MkdirTemp("", "sluice-dashboard-screenshots-")
	}
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "dashboard screenshots: %s\n", dir)
	t.Logf("dashboard screenshots: %s", dir)
	return dir
}

// syncBuffer is a log sink the test reads while the nodes write to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// browserLog records every URL the page requested and every script error.
type browserLog struct {
	mu     sync.Mutex
	urls   []string
	errors []string
}

func (l *browserLog) listen(ev any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		l.urls = append(l.urls, e.Request.URL)
	case *network.EventWebSocketCreated:
		l.urls = append(l.urls, e.URL)
	case *runtime.EventExceptionThrown:
		l.errors = append(l.errors, fmt.Sprintf("%+v", e.ExceptionDetails))
	}
}

func (l *browserLog) snapshot() (urls, errs []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.urls...), append([]string(nil), l.errors...)
}

type page struct {
	t    *testing.T
	ctx  context.Context
	dir  string
	shot int
	log  *browserLog
}

// newPage starts a headless Chromium with a fresh profile and one tab; stop ends it.
func newPage(t *testing.T, ctx context.Context, chromium string) (*page, func()) {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.WindowSize(1400, 1800))...)
	blog := &browserLog{}
	bctx, cancelBrowser := chromedp.NewContext(alloc, chromedp.WithListener(blog.listen))
	return &page{t: t, ctx: bctx, dir: artifactDir(t), log: blog}, func() { cancelBrowser(); cancelAlloc() }
}

// waitJS polls a JavaScript condition until it is true.
func (p *page) waitJS(what, expr string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	p.screenshot("FAILED-" + strings.ReplaceAll(what, " ", "-"))
	p.t.Fatalf("timed out waiting for %s (%s; last error %v)", what, expr, last)
}

func (p *page) eval(expr string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return s
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) screenshot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p.shot++
	path := filepath.Join(p.dir, fmt.Sprintf("%02d-%s.png", p.shot, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// TestDashboardInRealBrowser drives headless Chromium against the dashboard of a real node
// on the embedded chain: refused without or with a wrong token, signs in, sees the
// cluster's channels, watches a payment arrive live, sees the partner's force-close with
// its countdown and the watcher's defense, opens a channel's proofs; the token never
// appears in a URL or in the node's logs.
func TestDashboardInRealBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()

	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cluster, err := devcluster.New(ctx, devcluster.Options{Nodes: 2, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	defer cluster.Close()
	eth := func(milli int64) *big.Int { return new(big.Int).Mul(big.NewInt(milli), big.NewInt(1e15)) }
	var ids []channel.ID
	for range 2 {
		id, err := cluster.OpenChannel(ctx, 0, 1, common.Address{}, eth(1000), eth(0), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}

	const token = "5e1cedda5b0a4d0f8c3e2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a00ff11ee"
	srv, err := api.NewServer(cluster.Node(1), api.Config{Addr: "127.0.0.1:0", Token: token, Logger: logger.With("component", "api")})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop(context.Background())
	ui := srv.URL() + "/ui/"

	p, stop := newPage(t, ctx, chromium)
	defer stop()
	blog := p.log

	// No token: the page asks for one and the API refuses a request without it.
	p.do(chromedp.Navigate(ui))
	p.waitJS("sign-in form", `!document.querySelector("#login").hidden && document.querySelector("#dash").hidden`)
	p.screenshot("sign-in")
	if got := p.eval(`fetch("/", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({jsonrpc: "2.0", id: 1, method: "sluice_channelPage", params: []})}).then(r => String(r.status))`); got != "401" {
		t.Fatalf("request without a token answered %s, want 401", got)
	}

	// Wrong token: refused, nothing shown, nothing kept.
	p.do(chromedp.SendKeys("#token", strings.Repeat("ab", 32)), chromedp.Click("#login-form button"))
	p.waitJS("wrong token refused", `document.querySelector("#login-error").textContent.includes("refused")`)
	if kept := p.eval(`sessionStorage.getItem("sluice.apiToken") || ""`); kept != "" {
		t.Fatalf("a refused token is kept in the session: %q", kept)
	}
	if rows := p.eval(`String(document.querySelectorAll("#channel-table tr[data-channel]").length)`); rows != "0" {
		t.Fatalf("%s channel rows shown with a wrong token", rows)
	}
	p.screenshot("wrong-token")

	// The right token: the cluster's channels appear, and the live feed connects.
	p.do(chromedp.SendKeys("#token", token), chromedp.Click("#login-form button"))
	p.waitJS("both channels listed", `document.querySelectorAll("#channel-table tr[data-channel]").length === 2`)
	for _, id := range ids {
		p.waitJS("channel "+id.String(), fmt.Sprintf(`!!document.querySelector('#channel-table tr[data-channel="%s"]')`, id))
	}
	p.waitJS("live feed", `document.querySelector("#conn").textContent === "live"`)
	p.screenshot("channels")

	// A payment from the partner shows up without a reload.
	pay, err := cluster.Node(0).Pay(ctx, node.PayRequest{Channel: ids[0], Amount: eth(42)})
	if err != nil {
		t.Fatal(err)
	}
	payID := "0x" + common.Bytes2Hex(pay.PaymentID[:])
	p.waitJS("payment live", fmt.Sprintf(`!!document.querySelector('#recent tr[data-payment="%s"]')`, payID))
	if got := p.eval(`document.querySelector("#recent tbody").textContent`); !strings.Contains(got, "0.042 ETH") {
		t.Fatalf("recent payments %q do not show the 0.042 ETH payment", got)
	}
	p.screenshot("payment-live")

	// The partner force-closes with no proof of ours; our watcher must put its payment's
	// proof on chain. The dashboard shows the countdown and the defense.
	if _, err := cluster.Node(0).CloseChannel(ctx, ids[0], true); err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(`document.querySelector('#defenses tr[data-channel="%s"]')`, ids[0])
	p.waitJS("defense listed", "!!"+row)
	p.waitJS("countdown", fmt.Sprintf(`/\dm \d+s left/.test(%s.querySelector(".countdown").textContent)`, row))
	p.waitJS("defense on chain", fmt.Sprintf(`%s.querySelector(".defense").textContent === "on_chain"`, row))
	p.waitJS("proof alert", `document.querySelector("#alert-list").textContent.includes("proof submitted on chain")`)
	p.screenshot("force-close-defended")

	// The channel's page shows the proofs with their EIP-712 domain and signature.
	p.do(chromedp.Click(fmt.Sprintf(`#channel-table tr[data-channel="%s"]`, ids[0])))
	p.waitJS("channel page", `!document.querySelector("#channel-detail").hidden && document.querySelector("#detail-proofs .sig") !== null`)
	domain := p.eval(`document.querySelector("#detail-domain").textContent`)
	if !strings.Contains(strings.ToLower(domain), strings.ToLower(cluster.Chain().Contract().Hex())) || !strings.Contains(domain, "Sluice") {
		t.Fatalf("channel page domain %q lacks the contract %s", domain, cluster.Chain().Contract().Hex())
	}
	sig := p.eval(`document.querySelector("#detail-proofs .sig").textContent`)
	if want := "0x" + common.Bytes2Hex(pay.Proof.Sig[:]); sig != want {
		t.Fatalf("channel page signature %s, want the payment's %s", sig, want)
	}
	p.screenshot("channel-page")

	// The token went only into headers and session storage.
	urls, errs := blog.snapshot()
	if len(urls) == 0 {
		t.Fatal("no requests recorded: the URL check would prove nothing")
	}
	for _, u := range urls {
		if strings.Contains(u, token) {
			t.Fatalf("token leaked into a URL: %s", u)
		}
	}
	if strings.Contains(logs.String(), token) {
		t.Fatal("token leaked into the node's logs")
	}
	if len(errs) > 0 {
		t.Fatalf("script errors in the page: %v", errs)
	}
	p.do(chromedp.Click("#logout"))
	p.waitJS("signed out", `!document.querySelector("#login").hidden && sessionStorage.getItem("sluice.apiToken") === null`)
}
