package main

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// flagsFirst lets flags follow a command's positional arguments (`sluice pay 0x.. 1000
// --memo coffee`), as lncli and geth users type them: urfave/cli stops reading flags at
// the first positional argument, so the leaf command's flags are moved in front of its
// positional arguments before parsing. Only flags the leaf command defines are moved;
// anything after "--" stays positional; a token that is not a known flag is left in
// place, so the command's own argument check still reports it.
func flagsFirst(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	i := 1
	flags, cmds := app.Flags, app.Commands
	var leaf *cli.Command
	for i < len(args) {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			n := flagTokens(flags, args, i)
			out = append(out, args[i:i+n]...)
			i += n
			continue
		}
		next := findCommand(cmds, a)
		if next == nil {
			break
		}
		out = append(out, a)
		i++
		leaf, flags, cmds = next, next.Flags, next.Subcommands
		if len(cmds) == 0 {
			break
		}
	}
	if leaf == nil || len(leaf.Subcommands) > 0 {
		return append(out, args[i:]...)
	}
	var positional []string
	for i < len(args) {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i:]...)
			break
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 && findFlag(leaf.Flags, a) != nil {
			n := flagTokens(leaf.Flags, args, i)
			out = append(out, args[i:i+n]...)
			i += n
			continue
		}
		positional = append(positional, a)
		i++
	}
	return append(out, positional...)
}

// flagTokens is how many tokens the flag at args[i] spans: one for a boolean or for
// --name=value, two when its value is the next token.
func flagTokens(flags []cli.Flag, args []string, i int) int {
	a := args[i]
	if strings.Contains(a, "=") {
		return 1
	}
	f := findFlag(flags, a)
	if f == nil {
		return 1
	}
	if _, isBool := f.(*cli.BoolFlag); isBool {
		return 1
	}
	if i+1 < len(args) {
		return 2
	}
	return 1
}

func findFlag(flags []cli.Flag, token string) cli.Flag {
	name, _, _ := strings.Cut(strings.TrimLeft(token, "-"), "=")
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return f
			}
		}
	}
	return nil
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.Name == name {
			return c
		}
		for _, alias := range c.Aliases {
			if alias == name {
				return c
			}
		}
	}
	return nil
}
