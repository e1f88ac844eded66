package simulator

import "time"

// genEvent is one generated event, filled from its seed and rendered into
// either API version. It points into static tables and the population, so
// filling it allocates nothing.
type genEvent struct {
	stream int // the stream's code: which kind of event
	uuid   uuid
	ts     int64
	prec   byte // fraction digits on the wire: 0, 3 or 9 (trimmed)

	user   *person // target_user (sign-in), user (item usage), actor (audit)
	client *clientTemplate
	place  *place // where the client address is
	hasLoc bool   // the location block is present
	ip     [2]byte

	// sign-in
	session     uuid
	outcome     *signInOutcome
	detailValue string

	// item usage
	usedVersion int
	vaultUUID   string
	itemUUID    string
	action      string

	// audit
	tmpl        *auditTemplate
	object      uuid
	hasObject   bool
	objectUser  *person
	auxID       int64
	hasAuxID    bool
	aux         uuid
	hasAux      bool
	auxUser     *person
	auxInfo     string
	loginTS     int64
	deviceUUID  string
	sessionUUID uuid
}

// precisionDigits are the fraction digits a streamDef's precision weighs.
var precisionDigits = [3]byte{9, 3, 0}

var (
	signInWeights weighted
	itemWeights   weighted
	auditWeights  weighted
)

func init() {
	w := make([]int, len(signInOutcomes))
	for i, o := range signInOutcomes {
		w[i] = o.weight
	}
	signInWeights = newWeighted(w...)
	w = make([]int, len(itemActions))
	for i, a := range itemActions {
		w[i] = a.weight
	}
	itemWeights = newWeighted(w...)
	w = make([]int, len(auditTemplates))
	for i, t := range auditTemplates {
		w[i] = t.weight
	}
	auditWeights = newWeighted(w...)
}

// precisionFor is the first draw of an event's sequence; AddEvents uses it
// to truncate the stored timestamp so that the stored time is exactly what
// the client sees (filters and has_more then agree with the payload).
func precisionFor(stream *streamDef, seed uint64) byte {
	r := newRNG(seed)
	return precisionDigits[stream.precision.pick(&r)]
}

func precisionUnit(prec byte) int64 {
	switch prec {
	case 0:
		return int64(time.Second)
	case 3:
		return int64(time.Millisecond)
	}
	return 1
}

func truncateTS(ts int64, prec byte) int64 {
	unit := precisionUnit(prec)
	m := ts % unit
	if m < 0 {
		m += unit
	}
	return ts - m
}

// orderedTS truncates ts to its wire precision, but never below prev: a
// seconds-precision event right after a nanosecond one would otherwise be
// served as older than its predecessor, and the API serves oldest first.
// Rounding up to the unit keeps the stored time equal to the rendered one.
func orderedTS(ts, prev int64, prec byte) int64 {
	t := truncateTS(ts, prec)
	if t >= prev {
		return t
	}
	unit := precisionUnit(prec)
	t = truncateTS(prev, prec)
	if t < prev {
		t += unit
	}
	return t
}

// fill regenerates the event with this seed. The draw order is fixed and
// independent of the API version, so v1 and v2 renderings of one event
// agree on every shared field.
func (p *population) fill(ev *genEvent, stream *streamDef, seed uint64, ts int64) {
	r := newRNG(seed)
	*ev = genEvent{stream: stream.code, ts: ts}
	ev.prec = precisionDigits[stream.precision.pick(&r)]
	ev.uuid = makeUUID(&r, upperB32)
	ev.hasLoc = !r.chance(120)
	switch stream.code {
	case streamSignIn:
		p.fillSignIn(ev, &r)
	case streamItem:
		p.fillItem(ev, &r)
	default:
		p.fillAudit(ev, &r)
	}
}

// locate picks where the user is: usually home, sometimes travelling.
func (p *population) locate(ev *genEvent, r *rng) {
	home := ev.user.home
	if r.chance(100) {
		home = r.intn(len(places))
	}
	ev.place = &places[home]
	ev.ip = [2]byte{byte(r.intn(256)), byte(1 + r.intn(254))}
}

func (p *population) deviceClient(ev *genEvent, r *rng) *device {
	d := &ev.user.devices[r.intn(len(ev.user.devices))]
	ev.client = &clients[d.client]
	return d
}

func (p *population) fillSignIn(ev *genEvent, r *rng) {
	ev.session = makeUUID(r, upperB32)
	ev.outcome = &signInOutcomes[signInWeights.pick(r)]
	if ev.outcome.typ == "service_account_sso_denied" && len(p.services) > 0 {
		ev.user = p.service(r)
	} else {
		ev.user = p.human(r)
	}
	p.deviceClient(ev, r)
	p.locate(ev, r)
	if ev.outcome.category != "success" && r.chance(300) {
		// failed attempts come from unfamiliar places more often
		ev.place = &places[r.intn(len(places))]
	}
	switch ev.outcome.detail {
	case 'C':
		ev.detailValue = ev.place.continent
	case 'N':
		ev.detailValue = ev.place.code
	case 'I':
		ev.detailValue = "ip" // rendered as the client address
	case 'A':
		ev.detailValue = "anonymous"
	}
}

func (p *population) fillItem(ev *genEvent, r *rng) {
	a := &itemActions[itemWeights.pick(r)]
	ev.action = a.action
	if a.server && len(p.services) > 0 && r.chance(700) {
		ev.user = p.service(r)
	} else {
		ev.user = p.human(r)
	}
	p.deviceClient(ev, r)
	if a.server && !ev.client.server {
		for i := range clients {
			if clients[i].server {
				ev.client = &clients[i]
				break
			}
		}
	}
	p.locate(ev, r)
	v := &p.vaults[skewed(r, len(p.vaults))]
	ev.vaultUUID = v.uuid
	ev.itemUUID = v.items[r.intn(len(v.items))]
	ev.usedVersion = 1 + skewed(r, 40)
	if r.chance(20) {
		ev.usedVersion = 0
	}
}

func (p *population) fillAudit(ev *genEvent, r *rng) {
	ev.tmpl = &auditTemplates[auditWeights.pick(r)]
	ev.user = p.human(r)
	d := p.deviceClient(ev, r)
	ev.deviceUUID = d.uuid
	p.locate(ev, r)
	ev.sessionUUID = makeUUID(r, upperB32)
	// the session began up to eight hours before the action
	ev.loginTS = truncateTS(ev.ts-int64(1+r.intn(8*3600))*int64(time.Second)-int64(r.intn(int(time.Second))), ev.prec)

	setObj := func(s string) { copy(ev.object[:], s); ev.hasObject = true }
	setAux := func(s string) { copy(ev.aux[:], s); ev.hasAux = true }
	switch ev.tmpl.shape {
	case shapeUser:
		u := p.human(r)
		setObj(u.uuid)
		ev.objectUser = u
	case shapeVault:
		setObj(p.vaults[r.intn(len(p.vaults))].uuid)
	case shapeGroup:
		setObj(p.groups[r.intn(len(p.groups))])
	case shapeAccount:
		setObj(p.accountUUID)
	case shapeGM:
		setObj(p.groups[r.intn(len(p.groups))])
		u := p.human(r)
		setAux(u.uuid)
		ev.auxUser = u
		ev.auxID, ev.hasAuxID = int64(1000000+r.intn(9000000)), true
		ev.auxInfo = "R"
		if r.chance(250) {
			ev.auxInfo = "A"
		}
	case shapeUVA:
		setObj(p.vaults[r.intn(len(p.vaults))].uuid)
		u := p.human(r)
		setAux(u.uuid)
		ev.auxUser = u
	case shapeGVA:
		setObj(p.vaults[r.intn(len(p.vaults))].uuid)
		setAux(p.groups[r.intn(len(p.groups))])
	case shapeDevice:
		owner := p.human(r)
		setObj(owner.devices[r.intn(len(owner.devices))].uuid)
		setAux(owner.uuid)
		ev.auxUser = owner
		// device IDs are 64-bit; some exceed 2^53 and break float64 parsers
		if r.chance(150) {
			ev.auxID = int64(1<<53) + int64(r.next()>>12)
		} else {
			ev.auxID = int64(100000 + r.intn(90000000))
		}
		ev.hasAuxID = true
	case shapeInvite:
		ev.object, ev.hasObject = makeUUID(r, lowerB32), true
		u := p.human(r)
		ev.auxInfo = u.email
	case shapeSAToken:
		ev.object, ev.hasObject = makeUUID(r, lowerB32), true
		if len(p.services) > 0 {
			sa := p.service(r)
			setAux(sa.uuid)
		}
	case shapeItem:
		v := &p.vaults[r.intn(len(p.vaults))]
		setObj(v.items[r.intn(len(v.items))])
		setAux(v.uuid)
	default:
		ev.object, ev.hasObject = makeUUID(r, lowerB32), true
	}
}
