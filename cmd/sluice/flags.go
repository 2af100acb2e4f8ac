package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

// Global flag names; config-file keys and SLUICE_* variables mirror them.
const (
	flagDataDir      = "datadir"
	flagAPI          = "api"
	flagAPITokenFile = "api-token-file"
	flagJSON         = "json"
	flagLogFormat    = "log-format"
	flagLogLevel     = "log-level"
	flagConfig       = "config"
)

// envVar is the environment variable of a flag: --log-level is SLUICE_LOG_LEVEL.
func envVar(flag string) []string {
	return []string{"SLUICE_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))}
}

// commandEnvVar names the variable of a flag that belongs to one command, e.g.
// SLUICE_CHANNEL_LIST_STATUS: per-call flags must not collide with the daemon's (SLUICE_PEER)
// or fire by accident (a stray SLUICE_FORCE closing channels unilaterally).
func commandEnvVar(command, flag string) []string {
	return envVar(strings.ReplaceAll(command, " ", "-") + "-" + flag)
}

func defaultDataDir() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ".sluice"
	}
	return filepath.Join(home, ".sluice")
}

func globalFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagDataDir, Usage: "data directory (keys, database, api.token, config.json)", Value: defaultDataDir(), EnvVars: envVar(flagDataDir)},
		&cli.StringFlag{Name: flagAPI, Usage: "node API URL for client commands (http:// or ws://); several, comma-separated, reach whichever answers (the active process of a clustered hub)", Value: "http://" + api.DefaultAddr, EnvVars: envVar(flagAPI)},
		&cli.StringFlag{Name: flagAPITokenFile, Usage: "API bearer token file (default <datadir>/api.token)", EnvVars: envVar(flagAPITokenFile)},
		jsonFlag(),
		&cli.StringFlag{Name: flagLogFormat, Usage: "log format: text or json", Value: "text", EnvVars: envVar(flagLogFormat)},
		&cli.StringFlag{Name: flagLogLevel, Usage: "log level: debug, info, warn or error", Value: "info", EnvVars: envVar(flagLogLevel)},
		&cli.StringFlag{Name: flagConfig, Usage: "JSON config file whose keys mirror the flags (default <datadir>/config.json if present)", EnvVars: envVar(flagConfig)},
	}
}

// dataDir returns the data directory with a leading ~ expanded, since a value from a config
// file or an env var never went through the shell.
func dataDir(c *cli.Context) string {
	dir := c.String(flagDataDir)
	if dir == "~" || strings.HasPrefix(dir, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
		}
	}
	return dir
}

func jsonFlag() cli.Flag {
	return &cli.BoolFlag{Name: flagJSON, Usage: "print machine-readable JSON instead of tables", EnvVars: envVar(flagJSON)}
}
