package main

import (
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
)

// The invoice flags of `sluice node` (node.InvoiceConfig, ADR 0035): how long the node's
// invoices take new locks and how many unpaid ones it keeps open, per partner asking over
// the wire and in total.
const (
	flagInvoiceTTL             = "invoice-ttl"
	flagMaxOpenInvoices        = "max-open-invoices"
	flagMaxOpenInvoicesPerPeer = "max-open-invoices-per-peer"
)

// Bounds of --invoice-ttl: a payer needs time to lock; a day of unpaid invoices is plenty
// to keep.
const (
	minInvoiceTTL = 10 * time.Second
	maxInvoiceTTL = 7 * 24 * time.Hour
)

func invoiceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.DurationFlag{Name: flagInvoiceTTL, Usage: "how long an invoice of this node takes new locks (sluice_invoice and invoices asked over a route); an unpaid one is then deleted with its secret; 10s to 168h", Value: node.DefaultInvoiceTTL, EnvVars: envVar(flagInvoiceTTL)},
		&cli.IntFlag{Name: flagMaxOpenInvoices, Usage: "most unpaid, unexpired invoices this node keeps; past it sluice_invoice is rate_limited and requests over the wire are refused", Value: node.DefaultMaxOpenInvoices, EnvVars: envVar(flagMaxOpenInvoices)},
		&cli.IntFlag{Name: flagMaxOpenInvoicesPerPeer, Usage: "most unpaid, unexpired invoices asked over the wire for one payer through one partner; a partner may hold 10 times that, at most half of what the other partners and the node leave of --max-open-invoices (ADR 0043)", Value: node.DefaultMaxOpenInvoicesPerPeer, EnvVars: envVar(flagMaxOpenInvoicesPerPeer)},
	}
}

// invoiceConfig reads the invoice flags; a bad value is a usage error.
func invoiceConfig(c *cli.Context) (node.InvoiceConfig, error) {
	ic := node.InvoiceConfig{TTL: c.Duration(flagInvoiceTTL), MaxOpen: c.Int(flagMaxOpenInvoices), MaxOpenPerPeer: c.Int(flagMaxOpenInvoicesPerPeer)}
	if ic.TTL < minInvoiceTTL || ic.TTL > maxInvoiceTTL {
		return ic, usageErrorf("--%s %s must be from %s to %s", flagInvoiceTTL, ic.TTL, minInvoiceTTL, maxInvoiceTTL)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{flagMaxOpenInvoices, ic.MaxOpen}, {flagMaxOpenInvoicesPerPeer, ic.MaxOpenPerPeer}} {
		if f.v < 1 {
			return ic, usageErrorf("--%s %d must be at least 1", f.name, f.v)
		}
	}
	return ic, nil
}
