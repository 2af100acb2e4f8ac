package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sluicepay/sluice/dashboard"
	"github.com/sluicepay/sluice/node/risk"
)

// Defaults for Config fields left zero.
const (
	DefaultAddr            = "127.0.0.1:7420"
	DefaultMaxRequestBytes = 1 << 20
	// DefaultRequestTimeout bounds one HTTP call. Opening a channel waits for the chain,
	// so it is minutes, not seconds.
	DefaultRequestTimeout = 5 * time.Minute
	maxHeaderBytes        = 16 << 10
	readHeaderTimeout     = 10 * time.Second
	idleTimeout           = 2 * time.Minute
	batchItemLimit        = 100
	batchResponseLimit    = 16 << 20
)

// Config configures the API server.
type Config struct {
	Addr  string // host:port; default 127.0.0.1:7420. Port 0 picks a free port.
	Token string // required: the bearer token every request must carry
	// Metrics, when set, is served at /metrics, to the admin token only unless MetricsPublic.
	Metrics       prometheus.Gatherer
	MetricsPublic bool
	// AllowedOrigins are the browser origins allowed to open a WebSocket; empty allows
	// only non-browser clients and localhost pages.
	AllowedOrigins  []string
	MaxRequestBytes int
	RequestTimeout  time.Duration
	Logger          *slog.Logger
	// Risk, when set, judges every sluice_pay before the node signs and admits the
	// per-client tokens of its config (node/api/risk*.go).
	Risk *risk.Engine
}

// Server serves the sluice JSON-RPC API over HTTP and WebSocket on one listener.
type Server struct {
	cfg     Config
	rpc     *rpc.Server
	auth    bearerAuth
	risk    *riskLayer // nil without Config.Risk
	backend Backend    // the node, behind the risk decorator when there is one
	stats   *paymentStats
	handler http.Handler
	log     *slog.Logger

	quit chan struct{}
	subs sync.WaitGroup // subscription forwarders

	mu       sync.Mutex
	http     *http.Server
	listener net.Listener
	served   chan struct{} // closed when Serve returns
	stopped  bool
}

// NewServer builds a server for b. It does not listen until Start.
func NewServer(b Backend, cfg Config) (*Server, error) {
	if b == nil {
		return nil, errors.New("api: backend is nil")
	}
	if err := validateToken(cfg.Token); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		cfg:  cfg,
		rpc:  rpc.NewServer(),
		auth: newBearerAuth(cfg.Token),
		log:  cfg.Logger,
		quit: make(chan struct{}),
	}
	s.rpc.SetHTTPBodyLimit(cfg.MaxRequestBytes)
	s.rpc.SetWebsocketReadLimit(int64(cfg.MaxRequestBytes))
	s.rpc.SetBatchLimits(batchItemLimit, batchResponseLimit)
	quoter, _ := b.(RouteQuoter) // the node itself: a quote signs nothing, the risk layer has no say
	routed, _ := b.(RoutedPayer)
	b, err := s.installRisk(b)
	if err != nil {
		return nil, fmt.Errorf("api: register risk methods: %w", err)
	}
	if s.risk != nil && routed != nil {
		routed = s.risk.routed // judged by the risk engine like a direct payment
	}
	svc := &service{b: b, routed: routed, timeout: cfg.RequestTimeout}
	if err := s.rpc.RegisterName("sluice", svc); err != nil {
		return nil, fmt.Errorf("api: register sluice methods: %w", err)
	}
	if routed != nil {
		if err := s.rpc.RegisterName("sluice", &invoiceService{svc}); err != nil {
			return nil, fmt.Errorf("api: register invoice methods: %w", err)
		}
	}
	if quoter != nil {
		if err := s.rpc.RegisterName("sluice", &routeService{q: quoter, timeout: cfg.RequestTimeout}); err != nil {
			return nil, fmt.Errorf("api: register route methods: %w", err)
		}
	}
	if err := s.rpc.RegisterName("sluice", &subscriptions{b: b, quit: s.quit, wg: &s.subs}); err != nil {
		return nil, fmt.Errorf("api: register sluice subscriptions: %w", err)
	}
	s.backend, s.stats = b, newPaymentStats(time.Now())
	ops := &operatorService{b: b, timeout: cfg.RequestTimeout, stats: s.stats, metrics: cfg.Metrics, risk: s.risk}
	if err := s.rpc.RegisterName("sluice", ops); err != nil {
		return nil, fmt.Errorf("api: register operator methods: %w", err)
	}
	s.handler = s.routes()
	return s, nil
}

// Handler returns the authenticated HTTP handler, for embedding in another server.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() http.Handler {
	ws := s.rpc.WebsocketHandler(s.cfg.AllowedOrigins)
	mux := http.NewServeMux()
	api := s.protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			ws.ServeHTTP(w, r)
			return
		}
		serveHTTPRPC(s.rpc, w, r)
	}))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w, r, _ = browserWebSocket(w, r)
		api.ServeHTTP(w, r)
	}))
	mux.Handle(dashboard.Prefix, dashboard.Handler())
	mux.Handle(strings.TrimSuffix(dashboard.Prefix, "/"), http.RedirectHandler(dashboard.Prefix, http.StatusMovedPermanently))
	if s.cfg.Metrics != nil {
		metrics := promhttp.HandlerFor(s.cfg.Metrics, promhttp.HandlerOpts{})
		if !s.cfg.MetricsPublic {
			metrics = s.protectAdmin(metrics)
		}
		mux.Handle("/metrics", metrics)
	}
	return mux
}

// protect rejects requests, including WebSocket upgrades, without the bearer token.
func (s *Server) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, done, ok := s.authenticate(r)
		if !ok {
			s.log.Debug("api: unauthorized request", "remote", r.RemoteAddr, "path", r.URL.Path)
			writeUnauthorized(w)
			return
		}
		defer done()
		next.ServeHTTP(w, r)
	})
}

// protectAdmin admits only the node's own api.token: a risk client's token pays and reads
// what its policy allows, never the node's metrics (peers, channels, volumes of everyone).
func (s *Server) protectAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.auth.allowed(r) {
			s.log.Debug("api: request without the admin token", "remote", r.RemoteAddr, "path", r.URL.Path)
			writeUnauthorized(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeUnauthorized(w http.ResponseWriter) {
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      nil,
		"error": map[string]any{
			"code":    ErrUnauthorized.Code,
			"message": ErrUnauthorized.Message,
			"data":    ErrUnauthorized.ErrorData(),
		},
	})
	w.Header().Set("WWW-Authenticate", `Bearer realm="sluice"`)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	_, _ = w.Write(body)
}

// Start listens on the configured address and serves in the background until Stop.
func (s *Server) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return errors.New("api: server already stopped")
	}
	if s.http != nil {
		return errors.New("api: server already started")
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("api: listen on %s: %w", s.cfg.Addr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		s.log.Warn("api: listening on a non-loopback address; the bearer token is the only protection", "addr", ln.Addr().String())
	}
	s.listener = ln
	s.http = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readHeaderTimeout + 20*time.Second,
		// go-ethereum's rpc derives each HTTP call's deadline from WriteTimeout and answers
		// "request timed out" just before it; WebSocket connections are exempt.
		WriteTimeout:   s.cfg.RequestTimeout,
		IdleTimeout:    idleTimeout,
		MaxHeaderBytes: maxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	s.served = make(chan struct{})
	s.runPaymentStats()
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("api: serve failed", "addr", ln.Addr().String(), "err", err)
		}
	}(s.http, s.served)
	s.log.Info("api: listening", "url", "http://"+ln.Addr().String(), "metrics", s.cfg.Metrics != nil, "metricsPublic", s.cfg.MetricsPublic)
	return nil
}

// Addr is the address the server listens on, or nil before Start.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listener == nil {
		return nil
	}
	return s.listener.Addr()
}

// URL is the http:// URL of the running server ("" before Start); ws:// works on the same
// address.
func (s *Server) URL() string {
	if a := s.Addr(); a != nil {
		return "http://" + a.String()
	}
	return ""
}

// Stop stops accepting requests, waits (up to ctx) for in-flight HTTP calls, closes
// WebSocket connections and waits for every goroutine the server started. It is safe to
// call more than once.
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return nil
	}
	s.stopped = true
	srv, served := s.http, s.served
	s.mu.Unlock()

	close(s.quit)
	var err error
	if srv != nil {
		if err = srv.Shutdown(ctx); err != nil {
			err = fmt.Errorf("api: shutdown: %w", err)
			srv.Close()
		}
	}
	s.rpc.Stop()
	if served != nil {
		<-served
	}
	s.subs.Wait()
	return err
}
