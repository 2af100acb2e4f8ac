package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

const (
	flagChannel = "channel"
	flagLimit   = "limit"
	flagCursor  = "cursor"
	flagOut     = "out"
	exportPage  = 1000
)

func paymentsCommand() *cli.Command {
	return &cli.Command{
		Name:  "payments",
		Usage: "list payments with their signed proofs, oldest first",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: flagChannel, Usage: "only payments on this channel id", EnvVars: commandEnvVar("payments", flagChannel)},
			&cli.IntFlag{Name: flagLimit, Usage: "page size (1-1000)", Value: 100, EnvVars: commandEnvVar("payments", flagLimit)},
			&cli.StringFlag{Name: flagCursor, Usage: "continue from the cursor a previous page printed", EnvVars: commandEnvVar("payments", flagCursor)},
			&cli.BoolFlag{Name: flagRouted, Usage: "list routed payments: role, lock state, route with each hop's fee (admin token)", EnvVars: commandEnvVar("payments", flagRouted)},
		},
		Action: runPayments,
		Subcommands: []*cli.Command{
			{
				Name:  "export",
				Usage: "write every payment and the latest signed proofs as JSON for the auditor",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: flagOut, Usage: "output file (required; - for stdout)", EnvVars: commandEnvVar("payments export", flagOut)},
					&cli.StringFlag{Name: flagChannel, Usage: "only this channel id", EnvVars: commandEnvVar("payments export", flagChannel)},
				},
				Action: runPaymentsExport,
			},
			paymentsWatchCommand(),
			paymentShowCommand(),
		},
	}
}

func channelFlag(c *cli.Context) (*api.ChannelID, error) {
	s := c.String(flagChannel)
	if s == "" {
		return nil, nil
	}
	id, err := api.ParseChannelID(s)
	if err != nil {
		return nil, usageErrorf("--%s: %v", flagChannel, err)
	}
	cid := api.ChannelID(id)
	return &cid, nil
}

func runPayments(c *cli.Context) error {
	if c.Args().Present() {
		return usageErrorf("unknown command %q for 'sluice payments'", c.Args().First())
	}
	only, err := channelFlag(c)
	if err != nil {
		return err
	}
	limit := c.Int(flagLimit)
	if limit < 1 || limit > 1000 {
		return usageErrorf("--%s %d is out of range 1..1000", flagLimit, limit)
	}
	args := api.PaymentsArgs{Channel: only, Limit: limit, Cursor: c.String(flagCursor)}
	if c.Bool(flagRouted) {
		return runRoutedPayments(c, args)
	}
	return callNode(c, func(cl *api.Client) error {
		page, err := cl.Payments(c.Context, args)
		if err != nil {
			return err
		}
		return output(c, page, func(w io.Writer) error {
			if len(page.Payments) == 0 {
				_, err := fmt.Fprintln(w, "no payments")
				return err
			}
			rows := [][]string{{"TIME", "DIRECTION", "AMOUNT", "CHANNEL", "NONCE", "TRANSFERRED", "PAYMENT ID", "CLIENT", "MEMO"}}
			for _, p := range page.Payments {
				rows = append(rows, []string{p.Time.Format(time.RFC3339), p.Direction, p.Amount.String(), shortHex(p.Channel.String()),
					strconv.FormatUint(p.Proof.Nonce, 10), p.Proof.Transferred.String(), p.PaymentID.String(), p.Client, p.Memo})
			}
			if err := table(w, rows); err != nil {
				return err
			}
			if page.Next != "" {
				_, err := fmt.Fprintf(w, "\nmore: sluice payments --%s %s\n", flagCursor, page.Next)
				return err
			}
			return nil
		})
	})
}

func runPaymentsExport(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	out := c.String(flagOut)
	if out == "" {
		return usageErrorf("--%s FILE is required", flagOut)
	}
	only, err := channelFlag(c)
	if err != nil {
		return err
	}
	return callNode(c, func(cl *api.Client) error {
		exp, err := collectExport(c, cl, only)
		if err != nil {
			return err
		}
		data, err := json.MarshalIndent(exp, "", "  ")
		if err != nil {
			return fmt.Errorf("encode export: %w", err)
		}
		data = append(data, '\n')
		if out == "-" {
			_, err := c.App.Writer.Write(data)
			return err
		}
		if err := writeFileAtomic(out, data); err != nil {
			return err
		}
		summary := map[string]any{"file": out, "channels": len(exp.Channels), "payments": len(exp.Payments)}
		return output(c, summary, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "wrote %d channels and %d payments to %s\n", len(exp.Channels), len(exp.Payments), out)
			return err
		})
	})
}

func collectExport(c *cli.Context, cl *api.Client, only *api.ChannelID) (api.ProofExport, error) {
	ctx := c.Context
	info, err := cl.NodeInfo(ctx)
	if err != nil {
		return api.ProofExport{}, err
	}
	exp := api.ProofExport{Format: api.ProofExportFormat, ExportedAt: time.Now().UTC(),
		Node: info.Address, ChainID: info.ChainID, Contract: info.Contract, Payments: []api.Payment{}}
	if only != nil {
		ch, err := cl.Channel(ctx, *only)
		if err != nil {
			return api.ProofExport{}, err
		}
		exp.Channels = []api.Channel{ch}
	} else if exp.Channels, err = cl.Channels(ctx, api.ChannelsArgs{}); err != nil {
		return api.ProofExport{}, err
	}
	cursor := ""
	err = withProgress(c, "the payment log", func(ctx context.Context) error {
		for {
			page, err := cl.Payments(ctx, api.PaymentsArgs{Channel: only, Cursor: cursor, Limit: exportPage})
			if err != nil {
				return err
			}
			exp.Payments = append(exp.Payments, page.Payments...)
			if page.Next == "" || len(page.Payments) == 0 {
				return nil
			}
			cursor = page.Next
		}
	})
	return exp, err
}

// writeFileAtomic replaces path only once the whole file is on disk, so an interrupted
// export never leaves a truncated file that an auditor might trust.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
