// Command sluice is the Sluice payment-channel node and its command-line client: it runs
// the daemon (node), a local dev chain (devnet), and thin clients of the node's JSON-RPC
// API (channel, pay, payments), like lncli to lnd.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Exit codes: scripts tell "you called it wrong" from "it failed".
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	quietLibp2pSources()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// newApp assembles the CLI. Every command is listed here, built by its own constructor in
// its own file; adding a command is one line in this list.
func newApp() *cli.App {
	commands := []*cli.Command{
		initCommand(),
		nodeCommand(),
		towerCommand(),
		devnetCommand(),
		infoCommand(),
		channelCommand(),
		payCommand(),
		invoiceCommand(),
		routeCommand(),
		paymentsCommand(),
		riskCommand(),
		auditCommand(),
		demoCommand(),
		benchCommand(),
		deployCommand(),
		dbCommand(),
		versionCommand(),
	}
	app := &cli.App{
		Name:                 "sluice",
		Usage:                "Layer-2 payment-channel node and client",
		Flags:                globalFlags(),
		Commands:             commands,
		HideVersion:          true,
		EnableBashCompletion: false,
		Before:               applyGlobalConfig,
		// The default would print "No help topic" and exit 3; an unknown command is a
		// usage error like any other.
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usageErrorf("unknown command %q", c.Args().First())
			}
			// Like 'sluice channel' without a subcommand: help, then exit 2, so a script
			// that forgot its command does not read success (issue 21, finding 9).
			_ = cli.ShowAppHelp(c)
			return usageErrorf("sluice needs a command")
		},
		OnUsageError: onUsageError,
		// run maps errors to exit codes; the library must not call os.Exit itself.
		ExitErrHandler: func(*cli.Context, error) {},
	}
	prepareCommands(app.Commands)
	return app
}

// run executes the CLI and returns the process exit code. It never lets a panic or a Go
// stack trace reach the user.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "sluice: internal error: %v\n", r)
			code = exitFailure
		}
	}()
	app := newApp()
	app.Writer, app.ErrWriter = stdout, stderr
	err := app.RunContext(ctx, flagsFirst(app, args))
	if err == nil {
		return exitOK
	}
	if usage := asUsageError(err); usage != nil {
		fmt.Fprintf(stderr, "sluice: %v\nRun 'sluice --help' or 'sluice <command> --help' for usage.\n", usage)
		return exitUsage
	}
	fmt.Fprintf(stderr, "sluice: error: %v\n", err)
	return exitFailure
}

// usageError marks a mistake in how the command was called (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// asUsageError returns err as a usage error, or nil when it is a runtime failure.
func asUsageError(err error) *usageError {
	var usage *usageError
	if errors.As(err, &usage) {
		return usage
	}
	// urfave/cli reports a missing Required flag with an unexported type; its text is
	// the only handle on it.
	if strings.HasPrefix(err.Error(), "Required flag") {
		return &usageError{msg: err.Error()}
	}
	return nil
}

func onUsageError(_ *cli.Context, err error, _ bool) error {
	msg := err.Error()
	// The flag package says only "parse error" for a duration like "31d" (issue 21, 9).
	if strings.Contains(msg, "invalid value") && strings.Contains(msg, "parse error") && durationLike(msg) {
		msg += " (a duration is a number with a unit among ns, us, ms, s, m, h, e.g. 90s, 45m, 744h; there is no d)"
	}
	return &usageError{msg: msg}
}

// durationLike reports whether an invalid-value message quotes something that looks like a
// duration: digits followed by a letter unit.
func durationLike(msg string) bool {
	_, quoted, ok := strings.Cut(msg, `invalid value "`)
	if !ok {
		return false
	}
	v, _, _ := strings.Cut(quoted, `"`)
	i := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' })
	return i > 0 && i < len(v)
}

// prepareCommands gives every command, including ones other files add, the same
// behaviour: a --json flag that works before or after the command name, config-file
// values for its flags, usage errors for bad flags, and a usage error (not a help page
// with exit code 3) for an unknown subcommand.
func prepareCommands(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if !hasFlag(cmd.Flags, flagJSON) {
			cmd.Flags = append(cmd.Flags, jsonFlag())
		}
		before := cmd.Before
		cmd.Before = func(c *cli.Context) error {
			if err := applyCommandConfig(c); err != nil {
				return err
			}
			syncJSONFlag(c)
			if before != nil {
				return before(c)
			}
			return nil
		}
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = onUsageError
		}
		if len(cmd.Subcommands) > 0 && cmd.Action == nil {
			name := cmd.Name
			cmd.Action = func(c *cli.Context) error {
				if c.Args().Present() {
					return usageErrorf("unknown command %q for 'sluice %s'", c.Args().First(), name)
				}
				_ = cli.ShowSubcommandHelp(c)
				return usageErrorf("'sluice %s' needs a subcommand", name)
			}
		}
		prepareCommands(cmd.Subcommands)
	}
}

// exactArgs checks the number of positional arguments, naming them in the error.
func exactArgs(c *cli.Context, names ...string) error {
	if n := c.Args().Len(); n != len(names) {
		return usageErrorf("'%s' takes %d argument(s) (%v), got %d%s", c.Command.HelpName, len(names), names, n, flagHint(c))
	}
	return nil
}

// flagHint explains an argument that looks like a flag the command does not have.
func flagHint(c *cli.Context) string {
	for _, a := range c.Args().Slice() {
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			return fmt.Sprintf(": %q is not a flag of '%s' (see 'sluice %s --help')", a, c.Command.HelpName, c.Command.Name)
		}
	}
	return ""
}

func hasFlag(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// syncJSONFlag makes `sluice --json pay ...` and `sluice pay --json ...` mean the same:
// urfave/cli reads a flag from the nearest command that defines it, so without this a
// command's own unset --json would hide the global one.
func syncJSONFlag(c *cli.Context) {
	on := false
	for _, x := range c.Lineage() {
		if x.Bool(flagJSON) {
			on = true
		}
	}
	if !on {
		return
	}
	for _, x := range c.Lineage() {
		_ = x.Set(flagJSON, "true") // contexts without the flag refuse; nothing to sync there
	}
}
