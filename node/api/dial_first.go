package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// probeTimeout bounds how long DialFirst waits for one endpoint's answer.
const probeTimeout = 3 * time.Second

// DialFirst connects to the first of several API URLs of one hub that answers: in the
// clustered mode only the active process serves the API (a standby opens no port), so a
// client given every process's URL reaches the active one. Each URL is probed with
// sluice_nodeInfo in order; the error names every URL that failed and why.
func DialFirst(ctx context.Context, urls []string, token string) (*Client, error) {
	if len(urls) == 0 {
		return nil, errors.New("no API URL given")
	}
	var errs []string
	for _, url := range urls {
		c, err := Dial(ctx, url, token)
		if err == nil {
			pctx, cancel := context.WithTimeout(ctx, probeTimeout)
			_, err = c.NodeInfo(pctx)
			cancel()
			if err == nil {
				return c, nil
			}
			c.Close()
		}
		errs = append(errs, fmt.Sprintf("%s: %v", url, err))
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("no node API answered (%s)", strings.Join(errs, "; "))
}

// SplitURLs reads a comma-separated list of API URLs (the CLI's --api).
func SplitURLs(s string) []string {
	var out []string
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}
