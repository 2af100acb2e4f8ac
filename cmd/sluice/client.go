package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/sluicepay/sluice/node/api"
)

// dialNode connects a client command to the node API named by --api, authenticating with
// the token from --api-token-file or <datadir>/api.token.
func dialNode(c *cli.Context) (*api.Client, error) {
	path := c.String(flagAPITokenFile)
	if path == "" {
		path = api.TokenPath(dataDir(c))
	}
	token, err := api.ReadToken(path)
	if err != nil {
		return nil, fmt.Errorf("%w (run 'sluice init' first, or pass --%s)", err, flagAPITokenFile)
	}
	url := apiURL(c)
	if urls := api.SplitURLs(url); len(urls) > 1 {
		// The clustered mode: every process of the hub, of which only the active answers.
		return api.DialFirst(c.Context, urls, token)
	}
	client, err := api.Dial(c.Context, url, token)
	if err != nil {
		return nil, explainDialError(url, err)
	}
	return client, nil
}

// APIURLFile is where a running node writes the URL its API listens on, so that client
// commands with the same --datadir reach that node and no other (issue 21, finding 6).
const APIURLFile = "api.url"

// apiURL is --api when the user gave it (flag or SLUICE_API); otherwise the URL the node
// running on this datadir wrote; otherwise the config file's value or the default.
func apiURL(c *cli.Context) string {
	if setByUser(c, flagAPI) {
		return c.String(flagAPI)
	}
	if b, err := os.ReadFile(filepath.Join(dataDir(c), APIURLFile)); err == nil {
		if u := strings.TrimSpace(string(b)); u != "" {
			return u
		}
	}
	return c.String(flagAPI)
}

// explainDialError turns "connection refused" into advice.
func explainDialError(url string, err error) error {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("cannot reach the node API at %s: is 'sluice node' running? (%w)", url, err)
	}
	return err
}

// callNode dials, runs fn and closes the client.
func callNode(c *cli.Context, fn func(*api.Client) error) error {
	client, err := dialNode(c)
	if err != nil {
		return err
	}
	defer client.Close()
	if err := fn(client); err != nil {
		return explainDialError(apiURL(c), err)
	}
	return nil
}
