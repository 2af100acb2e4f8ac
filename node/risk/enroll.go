package risk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/sluicepay/sluice/store"
)

// A client's first step-up device used to be registered with the client's own token, so a
// stolen token could enrol the thief's key and pass every step-up (issue 22, finding 2).
// Now a device is bound either by the admin, or by the client with a one-time enrollment
// code that the admin issued out of band. Every binding and revocation is logged and
// recorded in the client's audit trail.

// DefaultEnrollmentTTL is how long an enrollment code can be used.
const DefaultEnrollmentTTL = 24 * time.Hour

const nsEnroll = "risk.enroll" // client -> sha256(code) || expiry (unix ns, big-endian)

// Errors of device enrollment.
var (
	ErrNoEnrollmentCode  = errors.New("a client's first device needs an enrollment code from the node operator")
	ErrBadEnrollmentCode = errors.New("enrollment code is wrong, expired or already used")
)

// Audit actions recorded beside decisions.
const (
	ActionDeviceEnrolled = "device_enrolled"
	ActionDeviceReplaced = "device_replaced"
	ActionDeviceRevoked  = "device_revoked"
)

// IssueEnrollmentCode makes a one-time code with which client may bind its first device,
// replacing any code issued before. Only the code's hash is stored; the code is returned
// once, for the operator to hand to the client's owner out of band.
func (e *Engine) IssueEnrollmentCode(ctx context.Context, client string, ttl time.Duration) (string, time.Time, error) {
	if ttl <= 0 || ttl > 30*DefaultEnrollmentTTL {
		return "", time.Time{}, fmt.Errorf("enrollment code for %s: ttl %s outside (0, 720h]", client, ttl)
	}
	if e.client(client) == nil || client == AdminClient {
		return "", time.Time{}, fmt.Errorf("enrollment code for %s: %w", client, ErrUnknownClient)
	}
	raw := make([]byte, 16)
	_, _ = rand.Read(raw)
	code := hex.EncodeToString(raw)
	expires := e.now().Add(ttl)
	sum := sha256.Sum256([]byte(code))
	v := binary.BigEndian.AppendUint64(sum[:], uint64(expires.UnixNano()))
	if err := e.commitMeta(ctx, func(b *store.Batch) error { return b.PutMeta(nsEnroll, client, v) }); err != nil {
		return "", time.Time{}, fmt.Errorf("enrollment code for %s: %w", client, err)
	}
	e.enroll.Store(client, v)
	e.log.Info("risk: enrollment code issued", "client", client, "expires", expires.UTC())
	return code, expires, nil
}

// EnrollDevice binds client's first device with an enrollment code, which it uses up
// (also when the device is refused, so a code cannot be tried twice).
func (e *Engine) EnrollDevice(ctx context.Context, client string, device common.Address, code string) error {
	if device == (common.Address{}) {
		return fmt.Errorf("enroll device for %s: the zero address cannot sign", client)
	}
	cs := e.client(client)
	if cs == nil {
		return fmt.Errorf("enroll device for %s: %w", client, ErrUnknownClient)
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.hasDevice {
		if cs.device == device {
			return nil
		}
		return fmt.Errorf("enroll device for %s: %w (%s)", client, ErrDeviceBound, cs.device)
	}
	if code == "" {
		return fmt.Errorf("enroll device for %s: %w", client, ErrNoEnrollmentCode)
	}
	stored, ok := e.enroll.LoadAndDelete(client)
	if !ok {
		return fmt.Errorf("enroll device for %s: %w", client, ErrBadEnrollmentCode)
	}
	v := stored.([]byte)
	sum := sha256.Sum256([]byte(code))
	expires := time.Unix(0, int64(binary.BigEndian.Uint64(v[32:])))
	good := subtle.ConstantTimeCompare(sum[:], v[:32]) == 1 && !e.now().After(expires)
	err := e.commitMeta(ctx, func(b *store.Batch) error {
		if err := b.DeleteMeta(nsEnroll, client); err != nil {
			return err
		}
		if good {
			return b.PutMeta(nsDevices, client, device[:])
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enroll device for %s: %w", client, err)
	}
	if !good {
		e.log.Warn("risk: enrollment with a wrong or expired code; the code is used up", "client", client, "device", device)
		return fmt.Errorf("enroll device for %s: %w", client, ErrBadEnrollmentCode)
	}
	cs.device, cs.hasDevice = device, true
	e.audit.action(client, ActionDeviceEnrolled, device, e.now())
	e.log.Info("risk: device enrolled with an enrollment code", "client", client, "device", device)
	return nil
}

// RevokeDevice unbinds client's device (the operator's call): its step-ups fail with
// no_device until a new device is bound.
func (e *Engine) RevokeDevice(ctx context.Context, client string) error {
	cs := e.client(client)
	if cs == nil {
		return fmt.Errorf("revoke device of %s: %w", client, ErrUnknownClient)
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if !cs.hasDevice {
		return fmt.Errorf("revoke device of %s: no device is registered", client)
	}
	if err := e.commitMeta(ctx, func(b *store.Batch) error { return b.DeleteMeta(nsDevices, client) }); err != nil {
		return fmt.Errorf("revoke device of %s: %w", client, err)
	}
	old := cs.device
	cs.device, cs.hasDevice = common.Address{}, false
	e.audit.action(client, ActionDeviceRevoked, old, e.now())
	e.log.Info("risk: device revoked", "client", client, "device", old)
	return nil
}

// commitMeta commits one small batch durably, or does nothing without a store.
func (e *Engine) commitMeta(ctx context.Context, fill func(*store.Batch) error) error {
	if e.store == nil {
		return nil
	}
	b := store.NewBatch()
	if err := fill(b); err != nil {
		return err
	}
	return e.store.Commit(ctx, b)
}

// loadEnrollments reads outstanding enrollment codes.
func (e *Engine) loadEnrollments() error {
	entries, err := e.store.ListMeta(nsEnroll)
	if err != nil {
		return fmt.Errorf("risk: load enrollment codes: %w", err)
	}
	for _, m := range entries {
		if len(m.Value) != 32+8 {
			return errCorrupt(nsEnroll+"/"+m.Key, "not a code hash and expiry")
		}
		e.enroll.Store(m.Key, append([]byte(nil), m.Value...))
	}
	return nil
}
