package convert // import "github.com/onepassword-otel/onepasswordreceiver/internal/convert"

import (
	"strconv"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// object decodes the members of the object whose '{' was just consumed into
// m, capturing attribute values on the way (fields.go says which). Keys keep
// the order in which they were sent; for a repeated key pdata's Put replaces
// the value in place, so the last one wins, as in encoding/json.
func (d *decoder) object(m pcommon.Map, c ctx, depth int) error {
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return nil
	}
	var n int32
	for {
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return d.errUnexpected("a string key")
		}
		key, k, err := d.memberKey(c, n)
		if err != nil {
			return err
		}
		if err := d.expect(':', "':'"); err != nil {
			return err
		}
		d.skipWS()
		if d.i >= len(d.s) {
			return d.errUnexpected("a value")
		}
		d.mask &^= clearOf[c][k]
		switch d.s[d.i] {
		case '"':
			v, err := d.str()
			if err != nil {
				return err
			}
			f := fieldOf[c][k]
			if f == fUUID && v != "" {
				v = d.keep(v)
			}
			m.PutStr(key, v)
			if f != noField && v != "" && fieldTypes[f] == ftString {
				d.setStr(f, v)
			}
		case '{':
			if depth+1 > maxDepth {
				return d.errAt(d.i, "nesting deeper than "+strconv.Itoa(maxDepth))
			}
			d.i++
			child := childOf[c][k]
			sub := m.PutEmptyMap(key)
			if child != ctxOther {
				sub.EnsureCapacity(int(d.hint[child]))
			}
			if err := d.object(sub, child, depth+1); err != nil {
				return err
			}
		case '[':
			if depth+1 > maxDepth {
				return d.errAt(d.i, "nesting deeper than "+strconv.Itoa(maxDepth))
			}
			d.i++
			if err := d.array(m.PutEmptySlice(key), depth+1); err != nil {
				return err
			}
		case 't':
			if err := d.literal("true"); err != nil {
				return err
			}
			m.PutBool(key, true)
		case 'f':
			if err := d.literal("false"); err != nil {
				return err
			}
			m.PutBool(key, false)
		case 'n':
			if err := d.literal("null"); err != nil {
				return err
			}
			m.PutEmpty(key)
		default:
			isInt, iv, fv, err := d.number()
			if err != nil {
				return err
			}
			f := fieldOf[c][k]
			if isInt {
				m.PutInt(key, iv)
				if f != noField {
					switch fieldTypes[f] {
					case ftInt:
						d.integer[f] = iv
						d.mask |= 1 << f
					case ftFloat:
						d.float[f] = float64(iv)
						d.mask |= 1 << f
					}
				}
			} else {
				m.PutDouble(key, fv)
				if f != noField && fieldTypes[f] == ftFloat {
					d.float[f] = fv
					d.mask |= 1 << f
				}
			}
		}
		n++
		done, err := d.next('}')
		if err != nil {
			return err
		}
		if done {
			if c != ctxOther && n > d.hint[c] {
				d.hint[c] = min(n, maxHint)
			}
			return nil
		}
	}
}

// array decodes the elements of the array whose '[' was just consumed.
// Nothing inside an array feeds an attribute.
func (d *decoder) array(sl pcommon.Slice, depth int) error {
	d.skipWS()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return nil
	}
	for {
		if err := d.value(sl.AppendEmpty(), depth); err != nil {
			return err
		}
		if done, err := d.next(']'); done || err != nil {
			return err
		}
	}
}

// value decodes one array element into v.
func (d *decoder) value(v pcommon.Value, depth int) error {
	if d.i >= len(d.s) {
		return d.errUnexpected("a value")
	}
	switch d.s[d.i] {
	case '"':
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetStr(s)
	case '{':
		if depth+1 > maxDepth {
			return d.errAt(d.i, "nesting deeper than "+strconv.Itoa(maxDepth))
		}
		d.i++
		return d.object(v.SetEmptyMap(), ctxOther, depth+1)
	case '[':
		if depth+1 > maxDepth {
			return d.errAt(d.i, "nesting deeper than "+strconv.Itoa(maxDepth))
		}
		d.i++
		return d.array(v.SetEmptySlice(), depth+1)
	case 't':
		if err := d.literal("true"); err != nil {
			return err
		}
		v.SetBool(true)
	case 'f':
		if err := d.literal("false"); err != nil {
			return err
		}
		v.SetBool(false)
	case 'n':
		return d.literal("null") // an empty Value is null
	default:
		isInt, iv, fv, err := d.number()
		if err != nil {
			return err
		}
		if isInt {
			v.SetInt(iv)
		} else {
			v.SetDouble(fv)
		}
	}
	return nil
}
