package main

import (
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node"
)

func TestInvoiceFlagsReachTheNodeConfig(t *testing.T) {
	run := func(args ...string) (node.InvoiceConfig, error) {
		var got node.InvoiceConfig
		app := &cli.App{Flags: invoiceFlags(), Action: func(c *cli.Context) error {
			var err error
			got, err = invoiceConfig(c)
			return err
		}}
		err := app.Run(append([]string{"sluice"}, args...))
		return got, err
	}
	got, err := run("--"+flagInvoiceTTL, "10m", "--"+flagMaxOpenInvoices, "500", "--"+flagMaxOpenInvoicesPerPeer, "50")
	if err != nil || got.TTL != 10*time.Minute || got.MaxOpen != 500 || got.MaxOpenPerPeer != 50 {
		t.Fatalf("flags: %+v %v", got, err)
	}
	if got, err := run(); err != nil || got.TTL != node.DefaultInvoiceTTL || got.MaxOpen != node.DefaultMaxOpenInvoices {
		t.Fatalf("defaults: %+v %v", got, err)
	}
	for _, bad := range [][]string{{"--" + flagInvoiceTTL, "1s"}, {"--" + flagMaxOpenInvoices, "0"}, {"--" + flagMaxOpenInvoicesPerPeer, "-3"}} {
		if _, err := run(bad...); err == nil {
			t.Fatalf("%v accepted", bad)
		}
	}
}
