package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/channel"
	"github.com/sluicepay/sluice/node/api"
	"github.com/sluicepay/sluice/node/risk"
	"github.com/sluicepay/sluice/store"
)

// Files of the risk engine inside the data directory.
const (
	riskConfigFile = "risk.json" // optional policy; without it only the admin client exists
	riskStoreDir   = "risk"      // its own leveldb: the node's store is private to the node
)

const (
	flagRiskClient   = "client"
	flagRiskOutcome  = "outcome"
	flagProfile      = "profile"
	flagTokenHash    = "token-hash"
	flagNewToken     = "new-token"
	flagSingleMax    = "single-max"
	flagDailyCap     = "daily-cap"
	flagStepUpAbove  = "step-up-above"
	flagPerSecond    = "per-second"
	flagPerMinute    = "per-minute"
	flagClientConfig = "config-json"
	flagFrozen       = "frozen"
	flagPayChannels  = "pay-channels"
	flagPayPartners  = "pay-partners"
	flagRead         = "read"
	flagEnrollCode   = "code"
	flagTTL          = "ttl"
)

// riskStateStore is where the risk engine keeps its state: <datadir>/risk, or the
// cluster's (ADR 0021 amendment).
type riskStateStore interface {
	risk.Store
	Close() error
}

// openRisk builds the daemon's risk engine from <datadir>/risk.json and its state store
// (<datadir>/risk, or openStore's: the cluster's in the clustered mode), and starts its
// flusher. stop flushes, stops and closes the store.
func openRisk(ctx context.Context, dir string, domain channel.Domain, reg prometheus.Registerer, log *slog.Logger, openStore func() (riskStateStore, error)) (_ *risk.Engine, stop func() error, _ error) {
	var cfg risk.Config
	path := filepath.Join(dir, riskConfigFile)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, nil, fmt.Errorf("read risk config %s: %w", path, err)
	default:
		if cfg, err = risk.ParseConfig(data); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if openStore == nil {
		openStore = func() (riskStateStore, error) {
			return store.Open(filepath.Join(dir, riskStoreDir), store.Options{Logger: log})
		}
	}
	st, err := openStore()
	if err != nil {
		return nil, nil, fmt.Errorf("open risk state: %w", err)
	}
	m, err := risk.NewMetrics(reg)
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("risk metrics: %w", err)
	}
	eng, err := risk.NewEngine(risk.Options{Config: cfg, Domain: domain, Store: st, Metrics: m, Logger: log})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan error, 1)
	go func() { done <- eng.Run(runCtx) }()
	log.Info("risk: policy loaded", "clients", len(cfg.Clients), "config", path)
	return eng, func() error {
		cancel()
		return errors.Join(<-done, st.Close())
	}, nil
}

func riskCommand() *cli.Command {
	return &cli.Command{
		Name:  "risk",
		Usage: "inspect and configure the risk policy on outgoing payments",
		Subcommands: []*cli.Command{
			{
				Name:  "events",
				Usage: "list risk decisions, newest first",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagRiskClient, Usage: "only this client"},
					&cli.StringFlag{Name: flagRiskOutcome, Usage: "only approve, step_up or decline"},
					&cli.IntFlag{Name: flagLimit, Usage: "how many (1-1000)", Value: 50},
				},
				Action: runRiskEvents,
			},
			{Name: "clients", Usage: "list API clients with their limits and current spend", Action: runRiskClients},
			{
				Name:      "set-client",
				Usage:     "add or change an API client's policy (admin token)",
				ArgsUsage: "NAME",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagClientConfig, Usage: "the whole client config as JSON; flags below override its fields"},
					&cli.StringFlag{Name: flagProfile, Usage: "interactive or service"},
					&cli.StringFlag{Name: flagTokenHash, Usage: "hex sha256 of the client's bearer token"},
					&cli.BoolFlag{Name: flagNewToken, Usage: "generate a token for the client, print it once and store only its hash"},
					&cli.StringFlag{Name: flagSingleMax, Usage: "largest single payment (base units)"},
					&cli.StringFlag{Name: flagDailyCap, Usage: "spend per UTC day (base units)"},
					&cli.StringFlag{Name: flagStepUpAbove, Usage: "payments above this need the device's signature"},
					&cli.Uint64Flag{Name: flagPerSecond, Usage: "payments per second"},
					&cli.Uint64Flag{Name: flagPerMinute, Usage: "payments per minute"},
					&cli.BoolFlag{Name: flagFrozen, Usage: "decline every payment of the client (--frozen=false to thaw)"},
					&cli.StringSliceFlag{Name: flagPayChannels, Usage: "channels the client may pay on (0x ids, comma-separated; \"\" = any)"},
					&cli.StringSliceFlag{Name: flagPayPartners, Usage: "partners the client may pay, on any channel with them (0x addresses)"},
					&cli.StringFlag{Name: flagRead, Usage: "payments the client may list and subscribe to: own (default), channels or all"},
				},
				Action: runRiskSetClient,
			},
			{
				Name:      "delete-client",
				Usage:     "revoke an API client's token for good (admin token); set-client brings it back",
				ArgsUsage: "NAME",
				Action:    runRiskDeleteClient,
			},
			{
				Name:      "register-device",
				Usage:     "bind a client's step-up device key (its 0x address): the admin for any client, a client for its first device with an enrollment code",
				ArgsUsage: "ADDRESS",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagRiskClient, Usage: "the client (default: the caller's own token)"},
					&cli.StringFlag{Name: flagEnrollCode, Usage: "the one-time enrollment code the operator gave you (client tokens)"},
				},
				Action: runRiskRegisterDevice,
			},
			{
				Name:  "enroll-code",
				Usage: "issue a one-time code with which a client binds its first device (admin token); give it to the owner out of band",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagRiskClient, Usage: "the client", Required: true},
					&cli.DurationFlag{Name: flagTTL, Usage: "how long the code is valid", Value: risk.DefaultEnrollmentTTL},
				},
				Action: runRiskEnrollCode,
			},
			{
				Name:   "revoke-device",
				Usage:  "unbind a client's device (admin token); its step-ups then decline until a new device is bound",
				Flags:  []cli.Flag{&cli.StringFlag{Name: flagRiskClient, Usage: "the client", Required: true}},
				Action: runRiskRevokeDevice,
			},
		},
	}
}

func runRiskEvents(c *cli.Context) error {
	limit := c.Int(flagLimit)
	if limit < 1 || limit > 1000 {
		return usageErrorf("--%s %d is out of range 1..1000", flagLimit, limit)
	}
	if o := c.String(flagRiskOutcome); o != "" {
		if _, ok := risk.ParseOutcome(o); !ok {
			return usageErrorf("--%s %q: want approve, step_up or decline", flagRiskOutcome, o)
		}
	}
	args := api.RiskEventsArgs{Client: c.String(flagRiskClient), Outcome: c.String(flagRiskOutcome), Limit: limit}
	return callNode(c, func(cl *api.Client) error {
		evs, err := cl.RiskEvents(c.Context, args)
		if err != nil {
			return err
		}
		return output(c, evs, func(w io.Writer) error {
			rows := [][]string{{"SEQ", "TIME", "CLIENT", "OUTCOME", "AMOUNT", "CHANNEL", "SCORE", "REASONS"}}
			for _, e := range evs {
				rows = append(rows, []string{strconv.FormatUint(e.Seq, 10), e.Time.Format(time.RFC3339Nano), e.Client, e.Outcome,
					e.Amount.String(), shortHex(e.Channel), strconv.Itoa(e.Score), strings.Join(e.Reasons, ",")})
			}
			return table(w, rows)
		})
	})
}

func runRiskClients(c *cli.Context) error {
	return callNode(c, func(cl *api.Client) error {
		cls, err := cl.RiskClients(c.Context)
		if err != nil {
			return err
		}
		return output(c, cls, func(w io.Writer) error {
			rows := [][]string{{"CLIENT", "PROFILE", "SPENT TODAY", "DAILY CAP", "1s", "1m", "1h", "24h", "DEVICE"}}
			for _, s := range cls {
				row := []string{s.Name, string(s.Config.Profile), s.SpentToday.String(), limitText(s.Config.DailyCap)}
				for _, w := range s.Windows {
					row = append(row, fmt.Sprintf("%d/%s", w.Count, w.Amount))
				}
				dev := "-"
				if s.Device != (common.Address{}) {
					dev = s.Device.Hex()
				}
				rows = append(rows, append(row, dev))
			}
			return table(w, rows)
		})
	})
}

func limitText(a risk.Amount) string {
	if a.IsZero() {
		return "none"
	}
	return a.String()
}

func runRiskDeleteClient(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageErrorf("usage: sluice risk delete-client NAME")
	}
	name := c.Args().First()
	return callNode(c, func(cl *api.Client) error {
		if err := cl.DeleteRiskClient(c.Context, name); err != nil {
			return err
		}
		_, err := fmt.Fprintf(c.App.Writer, "client %s deleted: its token no longer authenticates\n", name)
		return err
	})
}

func runRiskSetClient(c *cli.Context) error {
	if c.NArg() != 1 {
		return usageErrorf("usage: sluice risk set-client NAME [flags]")
	}
	name := c.Args().First()
	var cfg risk.ClientConfig
	if s := c.String(flagClientConfig); s != "" {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return usageErrorf("--%s: %v", flagClientConfig, err)
		}
		return setRiskClient(c, name, cfg)
	}
	// Flags change an existing client's fields; the rest (its token hash above all) stays.
	return callNode(c, func(cl *api.Client) error {
		current, err := cl.RiskConfig(c.Context)
		if err != nil {
			return err
		}
		return setRiskClient(c, name, current.Clients[name])
	})
}

func setRiskClient(c *cli.Context, name string, cfg risk.ClientConfig) error {
	if p := c.String(flagProfile); p != "" {
		cfg.Profile = risk.Profile(p)
	}
	for _, f := range []struct {
		flag string
		dst  *risk.Amount
	}{{flagSingleMax, &cfg.SingleMax}, {flagDailyCap, &cfg.DailyCap}, {flagStepUpAbove, &cfg.StepUpAbove}} {
		if s := c.String(f.flag); s != "" {
			if err := f.dst.UnmarshalText([]byte(s)); err != nil {
				return usageErrorf("--%s: %v", f.flag, err)
			}
		}
	}
	if c.IsSet(flagPerSecond) {
		cfg.Limits.PerSecond.Count = c.Uint64(flagPerSecond)
	}
	if c.IsSet(flagPerMinute) {
		cfg.Limits.PerMinute.Count = c.Uint64(flagPerMinute)
	}
	if c.IsSet(flagFrozen) {
		cfg.Frozen = c.Bool(flagFrozen)
	}
	if err := setRiskScope(c, &cfg.Scope); err != nil {
		return err
	}
	var token string
	switch {
	case c.Bool(flagNewToken) && c.String(flagTokenHash) != "":
		return usageErrorf("--%s and --%s exclude each other", flagNewToken, flagTokenHash)
	case c.Bool(flagNewToken):
		raw := make([]byte, 32)
		_, _ = rand.Read(raw)
		token = hex.EncodeToString(raw)
		cfg.TokenHash = api.TokenHash(token)
	case c.String(flagTokenHash) != "":
		cfg.TokenHash = strings.ToLower(c.String(flagTokenHash))
	}
	return callNode(c, func(cl *api.Client) error {
		out, err := cl.SetRiskClient(c.Context, name, cfg)
		if err != nil {
			return err
		}
		result := struct {
			Name   string            `json:"name"`
			Config risk.ClientConfig `json:"config"`
			Token  string            `json:"token,omitempty"`
		}{name, out, token}
		return output(c, result, func(w io.Writer) error {
			pairs := [][2]string{{"client", name}, {"profile", string(out.Profile)}, {"single max", limitText(out.SingleMax)},
				{"daily cap", limitText(out.DailyCap)}, {"step-up above", limitText(out.StepUpAbove)}}
			if token != "" {
				pairs = append(pairs, [2]string{"token", token + "  (shown once; the node keeps only its hash)"})
			}
			return keyValues(w, pairs)
		})
	})
}

func runRiskEnrollCode(c *cli.Context) error {
	if c.NArg() != 0 {
		return usageErrorf("usage: sluice risk enroll-code --client NAME [--ttl 24h]")
	}
	return callNode(c, func(cl *api.Client) error {
		code, err := cl.IssueEnrollmentCode(c.Context, c.String(flagRiskClient), c.Duration(flagTTL).String())
		if err != nil {
			return err
		}
		return output(c, code, func(w io.Writer) error {
			return keyValues(w, [][2]string{{"client", code.Client}, {"code", code.Code + "  (shown once, usable once)"}, {"expires", code.ExpiresAt.Format(time.RFC3339)}})
		})
	})
}

func runRiskRevokeDevice(c *cli.Context) error {
	if c.NArg() != 0 {
		return usageErrorf("usage: sluice risk revoke-device --client NAME")
	}
	return callNode(c, func(cl *api.Client) error {
		if err := cl.RevokeDevice(c.Context, c.String(flagRiskClient)); err != nil {
			return err
		}
		_, err := fmt.Fprintf(c.App.Writer, "device of %s revoked\n", c.String(flagRiskClient))
		return err
	})
}

func runRiskRegisterDevice(c *cli.Context) error {
	if c.NArg() != 1 || !common.IsHexAddress(c.Args().First()) {
		return usageErrorf("usage: sluice risk register-device [--client NAME] 0xADDRESS")
	}
	device := common.HexToAddress(c.Args().First())
	return callNode(c, func(cl *api.Client) error {
		if err := cl.RegisterDevice(c.Context, c.String(flagRiskClient), device, c.String(flagEnrollCode)); err != nil {
			return err
		}
		return output(c, map[string]string{"client": c.String(flagRiskClient), "device": device.Hex()}, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "device %s registered\n", device.Hex())
			return err
		})
	})
}

// openNodeRisk opens the risk engine in the running node's EIP-712 domain, which step-up
// signatures are made in.
func openNodeRisk(ctx context.Context, dir string, b api.Backend, reg prometheus.Registerer, log *slog.Logger, openStore func() (riskStateStore, error)) (*risk.Engine, func() error, error) {
	info, err := b.Info(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("risk: node info for the step-up domain: %w", err)
	}
	return openRisk(ctx, dir, channel.Domain{ChainID: info.ChainID, Contract: info.Contract}, reg, log, openStore)
}

// setRiskScope applies the scope flags (issue 22, finding 7); the engine validates them.
func setRiskScope(c *cli.Context, sc *risk.Scope) error {
	if c.IsSet(flagPayChannels) {
		sc.Channels = nonEmpty(c.StringSlice(flagPayChannels))
	}
	if c.IsSet(flagPayPartners) {
		sc.Partners = nil
		for _, s := range nonEmpty(c.StringSlice(flagPayPartners)) {
			if !common.IsHexAddress(s) {
				return usageErrorf("--%s: %q is not a 0x address", flagPayPartners, s)
			}
			sc.Partners = append(sc.Partners, common.HexToAddress(s))
		}
	}
	if c.IsSet(flagRead) {
		sc.Read = risk.ReadScope(c.String(flagRead))
	}
	return nil
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
