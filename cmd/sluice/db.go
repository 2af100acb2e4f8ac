package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/store"
)

// dbCommand holds the operator's tools for the node's database. The node must be stopped:
// the store takes a file lock and both commands open it directly.
func dbCommand() *cli.Command {
	dirFlag := &cli.StringFlag{Name: flagDataDir, Usage: "data directory of the stopped node (default: the global --datadir)"}
	return &cli.Command{
		Name:  "db",
		Usage: "check or recover the node's database (stop the node first)",
		Subcommands: []*cli.Command{
			{
				Name:   "check",
				Usage:  "decode every record and report what is damaged",
				Flags:  []cli.Flag{dirFlag, jsonFlag()},
				Action: runDBCheck,
			},
			{
				Name: "recover",
				Usage: "rebuild a corrupt database from its table and journal files " +
					"(the damaged directory is copied aside first)",
				Flags:  []cli.Flag{dirFlag, jsonFlag()},
				Action: runDBRecover,
			},
		},
	}
}

// dbPath takes --datadir given after the subcommand, else the global one. The local flag
// shadows the global in c, so the global value is read from the root context.
func dbPath(c *cli.Context) string {
	if c.IsSet(flagDataDir) && c.String(flagDataDir) != "" {
		return filepath.Join(dataDir(c), "db")
	}
	for _, parent := range c.Lineage()[1:] {
		if parent.String(flagDataDir) != "" {
			return filepath.Join(dataDir(parent), "db")
		}
	}
	return filepath.Join(defaultDataDir(), "db")
}

func runDBCheck(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	// Opening would create an empty database: a check must change nothing.
	if _, err := os.Stat(dbPath(c)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database at %s (is --%s right?)", dbPath(c), flagDataDir)
	}
	st, err := store.Open(dbPath(c), store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := st.Check()
	if err != nil {
		return err
	}
	if err := output(c, rep, func(w io.Writer) error { return printCheck(w, rep) }); err != nil {
		return err
	}
	if rep.BadCount > 0 {
		return fmt.Errorf("%d damaged records in %s; see %q", rep.BadCount, dbPath(c), store.RecoverCommand)
	}
	return nil
}

func runDBRecover(c *cli.Context) error {
	if err := exactArgs(c); err != nil {
		return err
	}
	rep, err := store.Recover(dbPath(c))
	if err != nil {
		return err
	}
	return output(c, rep, func(w io.Writer) error {
		if err := keyValues(w, [][2]string{
			{"database", rep.Path},
			{"backup of damaged files", rep.BackupPath},
			{"journal records skipped", strconv.FormatInt(rep.Dropped, 10)},
			{"keys recovered", strconv.Itoa(rep.Keys)},
			{"schema version", strconv.FormatUint(uint64(rep.Schema), 10)},
		}); err != nil {
			return err
		}
		return printCheck(w, rep.Check)
	})
}

func printCheck(w io.Writer, r store.CheckReport) error {
	if err := keyValues(w, [][2]string{
		{"channels", strconv.Itoa(r.Channels)},
		{"proofs", strconv.Itoa(r.Proofs)},
		{"payments", strconv.Itoa(r.Payments)},
		{"peers", strconv.Itoa(r.Peers)},
		{"on-chain ops", strconv.Itoa(r.Ops)},
		{"pending on-chain ops", strconv.Itoa(r.PendingOps)},
		{"chain cursor", strconv.FormatBool(r.Cursor)},
		{"damaged records", strconv.Itoa(r.BadCount)},
	}); err != nil {
		return err
	}
	for _, b := range r.Bad {
		if _, err := fmt.Fprintln(w, "  damaged:", b); err != nil {
			return err
		}
	}
	return nil
}
