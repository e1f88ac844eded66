package simulator

import (
	"strconv"
	"time"
)

// The renderer appends JSON by hand: a page is up to 1,000 events, and
// encoding/json's reflection would cost several times the 2 ms budget.
// Field order follows the fixtures; v2-only fields are written only when v2
// is set, so a v1 page never carries them (events-api.md §3.4, §3.5).

func appendEvent(b []byte, ev *genEvent, v2 bool, account string) []byte {
	switch ev.stream {
	case streamSignIn:
		return appendSignIn(b, ev, v2, account)
	case streamItem:
		return appendItem(b, ev, v2, account)
	default:
		return appendAudit(b, ev, v2, account)
	}
}

func appendSignIn(b []byte, ev *genEvent, v2 bool, account string) []byte {
	b = append(b, `{"uuid":"`...)
	b = append(b, ev.uuid[:]...)
	b = append(b, `","session_uuid":"`...)
	b = append(b, ev.session[:]...)
	b = append(b, `","timestamp":"`...)
	b = appendTimestamp(b, ev.ts, ev.prec)
	b = append(b, `","country":"`...)
	b = append(b, ev.place.code...)
	b = append(b, `","category":"`...)
	b = append(b, ev.outcome.category...)
	b = append(b, `","type":"`...)
	b = append(b, ev.outcome.typ...)
	if ev.detailValue == "" {
		b = append(b, `","details":null,"target_user":`...)
	} else {
		b = append(b, `","details":{"value":"`...)
		if ev.outcome.detail == 'I' {
			b = appendIP(b, ev)
		} else {
			b = appendJSONString(b, ev.detailValue)
		}
		b = append(b, `"},"target_user":`...)
	}
	b = appendUser(b, ev.user, v2)
	return appendClientTail(b, ev, v2, account)
}

func appendItem(b []byte, ev *genEvent, v2 bool, account string) []byte {
	b = append(b, `{"uuid":"`...)
	b = append(b, ev.uuid[:]...)
	b = append(b, `","timestamp":"`...)
	b = appendTimestamp(b, ev.ts, ev.prec)
	b = append(b, `","used_version":`...)
	b = strconv.AppendInt(b, int64(ev.usedVersion), 10)
	b = append(b, `,"vault_uuid":"`...)
	b = append(b, ev.vaultUUID...)
	b = append(b, `","item_uuid":"`...)
	b = append(b, ev.itemUUID...)
	b = append(b, '"')
	if ev.action != "" {
		b = append(b, `,"action":"`...)
		b = append(b, ev.action...)
		b = append(b, '"')
	}
	b = append(b, `,"user":`...)
	b = appendUser(b, ev.user, v2)
	return appendClientTail(b, ev, v2, account)
}

func appendAudit(b []byte, ev *genEvent, v2 bool, account string) []byte {
	b = append(b, `{"uuid":"`...)
	b = append(b, ev.uuid[:]...)
	b = append(b, `","timestamp":"`...)
	b = appendTimestamp(b, ev.ts, ev.prec)
	b = append(b, `","actor_uuid":"`...)
	b = append(b, ev.user.uuid...)
	b = append(b, `","actor_details":`...)
	b = appendUser(b, ev.user, v2)
	b = append(b, `,"action":"`...)
	b = append(b, ev.tmpl.action...)
	b = append(b, `","object_type":"`...)
	b = append(b, ev.tmpl.objectType...)
	b = append(b, '"')
	if ev.hasObject {
		b = append(b, `,"object_uuid":"`...)
		b = append(b, ev.object[:]...)
		b = append(b, '"')
	}
	if ev.objectUser != nil {
		b = append(b, `,"object_details":`...)
		b = appendUser(b, ev.objectUser, false)
	}
	if ev.hasAuxID {
		b = append(b, `,"aux_id":`...)
		b = strconv.AppendInt(b, ev.auxID, 10)
	}
	if ev.hasAux {
		b = append(b, `,"aux_uuid":"`...)
		b = append(b, ev.aux[:]...)
		b = append(b, '"')
	}
	if ev.auxUser != nil {
		b = append(b, `,"aux_details":`...)
		b = appendUser(b, ev.auxUser, false)
	}
	if ev.auxInfo != "" {
		b = append(b, `,"aux_info":"`...)
		b = appendJSONString(b, ev.auxInfo)
		b = append(b, '"')
	}
	b = append(b, `,"session":{"uuid":"`...)
	b = append(b, ev.sessionUUID[:]...)
	b = append(b, `","login_time":"`...)
	b = appendTimestamp(b, ev.loginTS, ev.prec)
	b = append(b, `","device_uuid":"`...)
	b = append(b, ev.deviceUUID...)
	b = append(b, `","ip":"`...)
	b = appendIP(b, ev)
	b = append(b, `"}`...)
	b = appendLocation(b, ev)
	if v2 {
		b = append(b, `,"actor_type":"`...)
		b = append(b, userType(ev.user)...)
		b = append(b, `","actor_account_uuid":"`...)
		b = append(b, ev.user.accountUUID...)
		b = append(b, `","account_uuid":"`...)
		b = append(b, account...)
		b = append(b, '"')
	}
	return append(b, '}')
}

func userType(p *person) string {
	if p.external {
		return "external_user"
	}
	return "user"
}

// appendUser writes a User, or a UserV2 when v2 is set.
func appendUser(b []byte, p *person, v2 bool) []byte {
	b = append(b, `{"uuid":"`...)
	b = append(b, p.uuid...)
	b = append(b, `","name":"`...)
	b = appendJSONString(b, p.name)
	b = append(b, `","email":"`...)
	b = appendJSONString(b, p.email)
	if v2 {
		b = append(b, `","user_type":"`...)
		b = append(b, userType(p)...)
		b = append(b, `","user_account_uuid":"`...)
		b = append(b, p.accountUUID...)
	}
	return append(b, `"}`...)
}

func appendClient(b []byte, ev *genEvent) []byte {
	c := ev.client
	b = append(b, `{"app_name":"`...)
	b = appendJSONString(b, c.appName)
	b = append(b, `","app_version":"`...)
	b = appendJSONString(b, c.appVersion)
	b = append(b, `","platform_name":"`...)
	b = appendJSONString(b, c.platformName)
	b = append(b, `","platform_version":"`...)
	b = appendJSONString(b, c.platformVersion)
	b = append(b, `","os_name":"`...)
	b = appendJSONString(b, c.osName)
	b = append(b, `","os_version":"`...)
	b = appendJSONString(b, c.osVersion)
	b = append(b, `","ip_address":"`...)
	b = appendIP(b, ev)
	return append(b, `"}`...)
}

// appendLocation writes `,"location":{...}` when the event has one.
func appendLocation(b []byte, ev *genEvent) []byte {
	if !ev.hasLoc {
		return b
	}
	pl := ev.place
	b = append(b, `,"location":{"country":"`...)
	b = append(b, pl.code...)
	b = append(b, `","region":"`...)
	b = appendJSONString(b, pl.region)
	b = append(b, `","city":"`...)
	b = appendJSONString(b, pl.city)
	b = append(b, `","latitude":`...)
	b = append(b, pl.lat...)
	b = append(b, `,"longitude":`...)
	b = append(b, pl.lon...)
	return append(b, '}')
}

func appendIP(b []byte, ev *genEvent) []byte {
	b = append(b, ev.place.ipPrefix...)
	b = strconv.AppendUint(b, uint64(ev.ip[0]), 10)
	b = append(b, '.')
	return strconv.AppendUint(b, uint64(ev.ip[1]), 10)
}

// appendTimestamp writes RFC 3339 in UTC with no fraction (prec 0), exactly
// three digits (prec 3) or nanoseconds with trailing zeros trimmed, as
// time.RFC3339Nano does and as the real API sends (events-api.md §7.6).
func appendTimestamp(b []byte, ts int64, prec byte) []byte {
	t := time.Unix(0, ts).UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	b = appendDigits(b, y, 4)
	b = append(b, '-')
	b = appendDigits(b, int(mo), 2)
	b = append(b, '-')
	b = appendDigits(b, d, 2)
	b = append(b, 'T')
	b = appendDigits(b, h, 2)
	b = append(b, ':')
	b = appendDigits(b, mi, 2)
	b = append(b, ':')
	b = appendDigits(b, s, 2)
	ns := t.Nanosecond()
	switch {
	case prec == 3:
		b = append(b, '.')
		b = appendDigits(b, ns/1e6, 3)
	case prec != 0 && ns != 0:
		digits := 9
		for ns%10 == 0 {
			ns /= 10
			digits--
		}
		b = append(b, '.')
		b = appendDigits(b, ns, digits)
	}
	return append(b, 'Z')
}

func appendDigits(b []byte, v, width int) []byte {
	var buf [9]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[:width]...)
}

// appendJSONString writes s escaped for a JSON string body (no quotes).
// Table strings rarely need escaping, so the common case is one append.
func appendJSONString(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			const hex = "0123456789abcdef"
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	return append(b, s[start:]...)
}

// appendClientTail ends a sign-in or item usage: the client, the location
// and, on v2, the account.
func appendClientTail(b []byte, ev *genEvent, v2 bool, account string) []byte {
	b = append(b, `,"client":`...)
	b = appendClient(b, ev)
	b = appendLocation(b, ev)
	if v2 {
		b = append(b, `,"account_uuid":"`...)
		b = append(b, account...)
		b = append(b, '"')
	}
	return append(b, '}')
}
