package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// version is the release this binary reports; the build's VCS revision is added from
// the Go build info when there is one.
const version = "0.1.0"

type versionInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit,omitempty"`
	Modified  bool   `json:"modified,omitempty"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
}

func currentVersion() versionInfo {
	v := versionInfo{Version: version, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	return v
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version of this binary",
		Action: func(c *cli.Context) error {
			if err := exactArgs(c); err != nil {
				return err
			}
			v := currentVersion()
			return output(c, v, func(w io.Writer) error {
				commit := v.Commit
				if commit == "" {
					commit = "unknown"
				} else if v.Modified {
					commit += " (modified)"
				}
				_, err := fmt.Fprintf(w, "sluice %s\ncommit %s\n%s %s\n", v.Version, commit, v.GoVersion, v.Platform)
				return err
			})
		},
	}
}
