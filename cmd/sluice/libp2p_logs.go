package main

import (
	"log/slog"
	"os"

	"github.com/libp2p/go-libp2p/gologshim"
)

// quietLibp2pSources makes go-libp2p's own log lines (its subsystems log through
// gologshim, straight to stderr) plain text at error level without Go source positions.
// An operator reads them as messages, not as something that looks like a stack trace:
// a benign "swarm listener accept error ... listener closed" at a node's shutdown printed
// /root/go/pkg/mod/...go:164 into the demo's output. Setting GOLOG_LOG_LEVEL or
// GOLOG_LOG_ADD_SOURCE keeps libp2p's own configuration. Called before any host starts.
func quietLibp2pSources() {
	if os.Getenv("GOLOG_LOG_LEVEL") != "" || os.Getenv("GOLOG_LOG_ADD_SOURCE") != "" {
		return
	}
	gologshim.SetDefaultHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}
