package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/urfave/cli/v2"
)

// ConfigFile is the name of the optional config file in the data directory.
const ConfigFile = "config.json"

// configMetaKey holds the parsed config file in App.Metadata between Before hooks.
const configMetaKey = "sluice.config"

// Precedence, highest first: command-line flag, SLUICE_* variable, config file, default.
// urfave/cli already applies the first two and reports them through IsSet; the config
// file fills only what is still unset.

// applyGlobalConfig loads the config file once and applies it to the global flags.
func applyGlobalConfig(c *cli.Context) error {
	values, path, err := loadConfig(c)
	if err != nil {
		return err
	}
	if values == nil {
		return nil
	}
	known := map[string]bool{}
	collectFlagNames(c.App.Flags, c.App.Commands, known)
	for key := range values {
		if !known[key] {
			return usageErrorf("config %s: unknown key %q (keys are flag names without dashes, e.g. \"datadir\", \"rpc\")", path, key)
		}
	}
	if c.App.Metadata == nil {
		c.App.Metadata = map[string]any{}
	}
	c.App.Metadata[configMetaKey] = configSource{path: path, values: values, applied: map[string]bool{}}
	return applyConfigTo(c, c.App.Flags)
}

// applyCommandConfig applies the config file to the flags of the command being run.
func applyCommandConfig(c *cli.Context) error {
	if c.Command == nil {
		return nil
	}
	return applyConfigTo(c, c.Command.Flags)
}

type configSource struct {
	path    string
	values  map[string]json.RawMessage
	applied map[string]bool // flags whose value came from the file
}

// setByUser reports whether flag name was given on the command line or in its SLUICE_*
// variable, as opposed to the config file or its default.
func setByUser(c *cli.Context, name string) bool {
	if !c.IsSet(name) {
		return false
	}
	src, ok := c.App.Metadata[configMetaKey].(configSource)
	return !ok || !src.applied[name]
}

func loadConfig(c *cli.Context) (map[string]json.RawMessage, string, error) {
	path := c.String(flagConfig)
	explicit := path != ""
	if !explicit {
		path = filepath.Join(dataDir(c), ConfigFile)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read config: %w", err)
	}
	var values map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&values); err != nil {
		return nil, "", usageErrorf("config %s is not a JSON object: %v", path, err)
	}
	return values, path, nil
}

func collectFlagNames(flags []cli.Flag, cmds []*cli.Command, into map[string]bool) {
	for _, f := range flags {
		for _, n := range f.Names() {
			into[n] = true
		}
	}
	for _, cmd := range cmds {
		collectFlagNames(cmd.Flags, cmd.Subcommands, into)
	}
}

func applyConfigTo(c *cli.Context, flags []cli.Flag) error {
	src, ok := c.App.Metadata[configMetaKey].(configSource)
	if !ok {
		return nil
	}
	for _, f := range flags {
		name := f.Names()[0]
		raw, ok := src.values[name]
		if !ok || c.IsSet(name) {
			continue
		}
		texts, err := configTexts(raw)
		if err != nil {
			return usageErrorf("config %s: key %q: %v", src.path, name, err)
		}
		for _, text := range texts {
			if err := c.Set(name, text); err != nil {
				return usageErrorf("config %s: key %q: %v", src.path, name, err)
			}
		}
		if src.applied != nil {
			src.applied[name] = true
		}
	}
	return nil
}

// configTexts renders a JSON value as the flag text(s) it stands for: arrays feed
// repeatable flags one element at a time.
func configTexts(raw json.RawMessage) ([]string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var out []string
	var add func(v any, nested bool) error
	add = func(v any, nested bool) error {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, strconv.FormatBool(x))
		case []any:
			if nested {
				return errors.New("nested arrays are not allowed")
			}
			for _, e := range x {
				if err := add(e, true); err != nil {
					return err
				}
			}
		case nil:
		default:
			return fmt.Errorf("want a string, number, boolean or array, got %T", v)
		}
		return nil
	}
	return out, add(v, false)
}
