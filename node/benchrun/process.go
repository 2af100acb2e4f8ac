package benchrun

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"

	"github.com/sluicepay/sluice/channel"
)

// With Options.PeerCommand the payees run in a child process (`sluice bench-peer`), so
// the hub's process holds only the hub and the chain: its CPU and memory figures are
// the hub's, and the payees' fsyncs and signature checks compete for the machine as a
// separate process would. Parent and child talk JSON lines over the child's stdin and
// stdout: the parent sends the nodeSpec, the child answers with the payees' addresses;
// then the parent asks it to wait for the channels and for the payees' store stats. Closing stdin
// stops the payees.

type peerRequest struct {
	Channels []channel.ID `json:"channels,omitempty"`
	Stats    bool         `json:"stats,omitempty"`
}

type peerReply struct {
	Addrs []string   `json:"addrs,omitempty"`
	Stats storeStats `json:"stats"`
	Error string     `json:"error,omitempty"`
}

type processPayees struct {
	cmd      *exec.Cmd
	in       io.WriteCloser
	out      *json.Decoder
	enc      *json.Encoder
	addrList []string
}

func startPayeeProcess(ctx context.Context, argv []string, spec nodeSpec) (*processPayees, error) {
	if len(argv) == 0 {
		return nil, errors.New("bench: no payee command")
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: payee process: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: payee process: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start payee process %s: %w", argv[0], err)
	}
	p := &processPayees{cmd: cmd, in: in, out: json.NewDecoder(bufio.NewReader(out)), enc: json.NewEncoder(in)}
	if err := p.enc.Encode(spec); err != nil {
		_ = p.close()
		return nil, fmt.Errorf("bench: payee process: %w", err)
	}
	r, err := p.reply()
	if err != nil {
		_ = p.close()
		return nil, err
	}
	p.addrList = r.Addrs
	return p, nil
}

func (p *processPayees) reply() (peerReply, error) {
	var r peerReply
	if err := p.out.Decode(&r); err != nil {
		return r, fmt.Errorf("bench: payee process: %w", err)
	}
	if r.Error != "" {
		return r, fmt.Errorf("bench: payee process: %s", r.Error)
	}
	return r, nil
}

func (p *processPayees) addrs() []string { return p.addrList }

func (p *processPayees) learned(_ context.Context, channels []channel.ID) error {
	if err := p.enc.Encode(peerRequest{Channels: channels}); err != nil {
		return fmt.Errorf("bench: payee process: %w", err)
	}
	_, err := p.reply()
	return err
}

func (p *processPayees) stats() storeStats {
	if err := p.enc.Encode(peerRequest{Stats: true}); err != nil {
		return storeStats{}
	}
	r, err := p.reply()
	if err != nil {
		return storeStats{}
	}
	return r.Stats
}

func (p *processPayees) close() error {
	_ = p.in.Close()
	if err := p.cmd.Wait(); err != nil {
		return fmt.Errorf("bench: payee process: %w", err)
	}
	return nil
}

// ServePayees is the child's side (`sluice bench-peer`): it reads a nodeSpec from in,
// starts the payee nodes, and answers requests until in is closed.
func ServePayees(ctx context.Context, in io.Reader, out io.Writer, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dec := json.NewDecoder(in)
	enc := json.NewEncoder(out)
	var spec nodeSpec
	if err := dec.Decode(&spec); err != nil {
		return fmt.Errorf("bench-peer: read spec: %w", err)
	}
	ps, err := startPayees(ctx, spec, nil, Options{Logger: logger})
	defer func() { _ = ps.close() }()
	if err != nil {
		_ = enc.Encode(peerReply{Error: err.Error()})
		return err
	}
	if err := enc.Encode(peerReply{Addrs: ps.addrs()}); err != nil {
		return err
	}
	for {
		var req peerRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("bench-peer: read request: %w", err)
		}
		var r peerReply
		if len(req.Channels) > 0 {
			if err := ps.learned(ctx, req.Channels); err != nil {
				r.Error = err.Error()
			}
		}
		if req.Stats {
			r.Stats = ps.stats()
		}
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
}
