package risk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// decodeStrict decodes exactly one JSON value into v, refusing what encoding/json lets
// through silently and what would silently change a policy: unknown fields (a typo like
// "dailyCapp" dropped the cap), duplicate keys (the last one won), and trailing content.
// Every source of risk configuration (the file, the admin API, the CLI, stored overrides)
// goes through it.
func decodeStrict(data []byte, v any) error {
	if err := checkDuplicateKeys(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing content after the JSON value")
	}
	return nil
}

// checkDuplicateKeys walks the token stream and refuses an object that names a key twice.
func checkDuplicateKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		want   bool // an object expecting a key next
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top != nil && top.object {
					top.want = true // the container is the value of the current key
				}
				stack = append(stack, &frame{object: t == '{', keys: map[string]bool{}, want: t == '{'})
				continue
			case '}', ']':
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].want = true
				}
				continue
			}
		case string:
			if top != nil && top.object && top.want {
				if top.keys[t] {
					return fmt.Errorf("duplicate key %q", t)
				}
				top.keys[t] = true
				top.want = false
				continue
			}
		}
		if top != nil && top.object {
			top.want = true
		}
	}
}
