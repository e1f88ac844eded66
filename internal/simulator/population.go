package simulator

import "strings"

// person is a member of an account: the same people, devices, vaults and
// items recur across events, as in a real account.
type person struct {
	uuid        string // upper case
	name, email string
	external    bool   // an MSP's external user (v2 user_type external_user)
	accountUUID string // v2 user_account_uuid
	service     bool   // a service account (…@1passwordserviceaccounts.com)
	home        int    // index into places
	devices     []device
}

type device struct {
	uuid   string // lower case
	client int    // index into clients
}

type vault struct {
	uuid  string // lower case
	items []string
}

// population is derived from the account's seed only, so it is the same on
// every run with the same Config.Seed.
type population struct {
	accountUUID string
	people      []person
	humans      []int // indexes of people that are not service accounts
	services    []int
	groups      []string
	vaults      []vault
	mspAccount  string
}

func newPopulation(accountUUID string, seed uint64) *population {
	r := newRNG(seed)
	p := &population{accountUUID: accountUUID}
	p.mspAccount = makeUUIDString(&r, upperB32)
	domain := companyDomains[r.intn(len(companyDomains))]
	var humanClients, serverClients []int
	for i, c := range clients {
		if c.server {
			serverClients = append(serverClients, i)
		} else {
			humanClients = append(humanClients, i)
		}
	}
	const nPeople = 48
	for i := 0; i < nPeople; i++ {
		pe := person{uuid: makeUUIDString(&r, upperB32), accountUUID: accountUUID, home: r.intn(len(places))}
		switch {
		case i%16 == 15: // a few service accounts
			pe.service = true
			pe.name = "Service Account: " + serviceAccountNames[r.intn(len(serviceAccountNames))]
			pe.email = strings.ToLower(makeUUIDString(&r, lowerB32)) + "@1passwordserviceaccounts.com"
			pe.devices = []device{{uuid: makeUUIDString(&r, lowerB32), client: serverClients[r.intn(len(serverClients))]}}
		default:
			first, last := firstNames[r.intn(len(firstNames))], lastNames[r.intn(len(lastNames))]
			pe.name = first + " " + last
			pe.email = emailLocal(first) + "." + emailLocal(last) + "@" + domain
			if i%20 == 19 { // an MSP technician managing this account
				pe.external = true
				pe.accountUUID = p.mspAccount
				pe.email = emailLocal(first) + "." + emailLocal(last) + "@msp-partner.example"
			}
			for d := 0; d < 1+r.intn(3); d++ {
				pe.devices = append(pe.devices, device{uuid: makeUUIDString(&r, lowerB32), client: humanClients[r.intn(len(humanClients))]})
			}
		}
		p.people = append(p.people, pe)
		if pe.service {
			p.services = append(p.services, i)
		} else {
			p.humans = append(p.humans, i)
		}
	}
	for i := 0; i < 10; i++ {
		p.groups = append(p.groups, makeUUIDString(&r, lowerB32))
	}
	for i := 0; i < 16; i++ {
		v := vault{uuid: makeUUIDString(&r, lowerB32)}
		for j := 0; j < 5+r.intn(40); j++ {
			v.items = append(v.items, makeUUIDString(&r, lowerB32))
		}
		p.vaults = append(p.vaults, v)
	}
	return p
}

// accentFold maps the accented letters used in the name tables to ASCII.
var accentFold = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n", "ç", "c")

// emailLocal makes an address part from a name: "O'Neill" gives "oneill",
// "Tomás" gives "tomas".
func emailLocal(s string) string {
	var b strings.Builder
	for _, c := range accentFold.Replace(strings.ToLower(s)) {
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// skewed picks an index in [0, n) favouring small ones: a few people do
// most of the work, as in real accounts.
func skewed(r *rng, n int) int { return r.intn(r.intn(n) + 1) }

func (p *population) human(r *rng) *person   { return &p.people[p.humans[skewed(r, len(p.humans))]] }
func (p *population) service(r *rng) *person { return &p.people[p.services[r.intn(len(p.services))]] }
