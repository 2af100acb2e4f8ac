package main

import (
	"io"
	"log/slog"
	"strings"

	"github.com/urfave/cli/v2"
)

// newLogger builds the logger named by --log-format and --log-level, writing to stderr so
// that stdout stays clean for --json output.
func newLogger(c *cli.Context) (*slog.Logger, error) {
	return buildLogger(c.App.ErrWriter, c.String(flagLogFormat), c.String(flagLogLevel))
}

func buildLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lvl = slog.LevelDebug
	case "info", "":
		lvl = slog.LevelInfo
	case "warn", "warning":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	default:
		return nil, usageErrorf("--%s %q: want debug, info, warn or error", flagLogLevel, level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(format) {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, usageErrorf("--%s %q: want text or json", flagLogFormat, format)
	}
}
