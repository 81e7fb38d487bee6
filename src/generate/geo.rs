//! Geography of the generated instances: the four Norwegian health regions with their real
//! regional towns (public coordinates, rounded), distances, and Norwegian-looking names.

/// A real town a region's municipalities cluster around.
pub struct Anchor {
    pub name: &'static str,
    pub lat: f64,
    pub lon: f64,
    pub county: &'static str,
    /// Relative size (roughly population); the largest municipalities are the anchors.
    pub weight: f64,
}

/// One health region and how its geography is drawn.
pub struct RegionDef {
    pub name: &'static str,
    /// Letter that starts the ids of its doctors.
    pub code: &'static str,
    /// Bounding box every place stays inside.
    pub lat: (f64, f64),
    pub lon: (f64, f64),
    /// Spread of municipality centres around their anchor town (km, one standard deviation).
    pub spread_km: f64,
    /// Chance that a link between two places of the region crosses a fjord by ferry.
    pub ferry: f64,
    /// Share of the country's ALIS (about the population share).
    pub doctor_share: f64,
    /// Share of the country's hospitals (the north has many small ones).
    pub hospital_share: f64,
    /// Written form of "hospital" in the region's names (nynorsk in the west).
    pub hospital_word: &'static str,
    pub anchors: &'static [Anchor],
}

macro_rules! anchors {
    ($(($name:expr, $lat:expr, $lon:expr, $county:expr, $w:expr)),* $(,)?) => {
        &[$(Anchor { name: $name, lat: $lat, lon: $lon, county: $county, weight: $w }),*]
    };
}

/// The regions in the order they are used: `--regions 1` is Helse Vest (the home of
/// ALIS-Vest), 2 adds Midt-Norge, 3 adds Nord, 4 adds Sør-Øst. Each prefix is a connected
/// chain of neighbouring regions.
pub const REGIONS: [RegionDef; 4] = [
    RegionDef {
        name: "Helse Vest",
        code: "V",
        lat: (58.3, 62.2),
        lon: (4.8, 7.6),
        spread_km: 22.0,
        ferry: 0.22,
        doctor_share: 0.21,
        hospital_share: 0.22,
        hospital_word: "sjukehus",
        anchors: anchors![
            ("Bergen", 60.39, 5.32, "Vestland", 10.0),
            ("Stavanger", 58.97, 5.73, "Rogaland", 8.0),
            ("Haugesund", 59.41, 5.27, "Rogaland", 3.0),
            ("Førde", 61.45, 5.85, "Vestland", 2.0),
            ("Leirvik", 59.78, 5.50, "Vestland", 1.5),
            ("Voss", 60.63, 6.42, "Vestland", 1.0),
            ("Egersund", 58.45, 6.00, "Rogaland", 1.0),
            ("Sogndal", 61.23, 7.10, "Vestland", 1.0),
            ("Nordfjordeid", 61.91, 5.99, "Vestland", 0.8),
            ("Odda", 60.07, 6.55, "Vestland", 0.7),
        ],
    },
    RegionDef {
        name: "Helse Midt-Norge",
        code: "M",
        lat: (61.9, 65.1),
        lon: (5.6, 12.2),
        spread_km: 28.0,
        ferry: 0.15,
        doctor_share: 0.14,
        hospital_share: 0.16,
        hospital_word: "sykehus",
        anchors: anchors![
            ("Trondheim", 63.43, 10.40, "Trøndelag", 10.0),
            ("Ålesund", 62.47, 6.15, "Møre og Romsdal", 4.0),
            ("Molde", 62.74, 7.16, "Møre og Romsdal", 2.0),
            ("Kristiansund", 63.11, 7.73, "Møre og Romsdal", 2.0),
            ("Levanger", 63.75, 11.30, "Trøndelag", 2.0),
            ("Steinkjer", 64.01, 11.50, "Trøndelag", 1.2),
            ("Namsos", 64.47, 11.50, "Trøndelag", 1.0),
            ("Orkanger", 63.30, 9.85, "Trøndelag", 1.0),
            ("Volda", 62.15, 6.07, "Møre og Romsdal", 1.0),
            ("Røros", 62.57, 11.38, "Trøndelag", 0.5),
        ],
    },
    RegionDef {
        name: "Helse Nord",
        code: "N",
        lat: (65.0, 71.0),
        lon: (11.5, 31.0),
        spread_km: 35.0,
        ferry: 0.25,
        doctor_share: 0.09,
        hospital_share: 0.20,
        hospital_word: "sykehus",
        anchors: anchors![
            ("Tromsø", 69.65, 18.96, "Troms", 6.0),
            ("Bodø", 67.28, 14.40, "Nordland", 5.0),
            ("Harstad", 68.80, 16.54, "Troms", 2.0),
            ("Mo i Rana", 66.31, 14.14, "Nordland", 2.0),
            ("Narvik", 68.44, 17.43, "Nordland", 1.5),
            ("Alta", 69.97, 23.27, "Finnmark", 1.5),
            ("Mosjøen", 65.84, 13.19, "Nordland", 1.0),
            ("Hammerfest", 70.66, 23.68, "Finnmark", 1.0),
            ("Kirkenes", 69.73, 30.05, "Finnmark", 1.0),
            ("Stokmarknes", 68.56, 14.91, "Nordland", 1.0),
            ("Gravdal", 68.12, 13.53, "Nordland", 0.8),
            ("Finnsnes", 69.23, 17.98, "Troms", 0.8),
            ("Sandnessjøen", 66.02, 12.63, "Nordland", 0.8),
        ],
    },
    RegionDef {
        name: "Helse Sør-Øst",
        code: "S",
        lat: (57.95, 62.7),
        lon: (6.5, 12.7),
        spread_km: 25.0,
        ferry: 0.03,
        doctor_share: 0.56,
        hospital_share: 0.42,
        hospital_word: "sykehus",
        anchors: anchors![
            ("Oslo", 59.91, 10.75, "Oslo", 14.0),
            ("Lillestrøm", 59.96, 11.05, "Akershus", 3.0),
            ("Drammen", 59.74, 10.20, "Buskerud", 3.0),
            ("Fredrikstad", 59.22, 10.93, "Østfold", 3.0),
            ("Kristiansand", 58.15, 8.00, "Agder", 3.0),
            ("Tønsberg", 59.27, 10.41, "Vestfold", 2.5),
            ("Skien", 59.21, 9.61, "Telemark", 2.5),
            ("Hamar", 60.79, 11.07, "Innlandet", 2.0),
            ("Lillehammer", 61.12, 10.47, "Innlandet", 1.5),
            ("Arendal", 58.46, 8.77, "Agder", 1.5),
            ("Gjøvik", 60.80, 10.69, "Innlandet", 1.2),
            ("Kongsberg", 59.67, 9.65, "Buskerud", 1.0),
            ("Elverum", 60.88, 11.56, "Innlandet", 1.0),
            ("Kongsvinger", 60.19, 12.00, "Innlandet", 0.8),
            ("Notodden", 59.56, 9.26, "Telemark", 0.6),
            ("Gol", 60.70, 8.95, "Buskerud", 0.5),
            ("Flekkefjord", 58.30, 6.66, "Agder", 0.5),
        ],
    },
];

/// Pairs of regions (indices into [`REGIONS`]) that share a border and are joined by long
/// roads (over the mountains or along the coast).
pub const NEIGHBOURS: [(usize, usize); 4] = [(0, 1), (1, 2), (0, 3), (1, 3)];

/// Kilometres per degree of latitude.
const KM_PER_LAT: f64 = 110.57;
/// Kilometres per degree of longitude at the equator.
const KM_PER_LON: f64 = 111.32;

/// Cosine of an angle in degrees between -90 and 90, by its Taylor series (plain
/// arithmetic, so every platform gives the same bits).
pub fn cos_deg(deg: f64) -> f64 {
    let x = deg * std::f64::consts::PI / 180.0;
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..=10 {
        term *= -x2 / f64::from((2 * k - 1) * (2 * k));
        sum += term;
    }
    sum
}

/// Straight-line distance in km between two points (equirectangular approximation, good to
/// a fraction of a percent over the distances of one region).
pub fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let c = cos_deg((lat1 + lat2) / 2.0);
    let dx = (lon2 - lon1) * KM_PER_LON * c;
    let dy = (lat2 - lat1) * KM_PER_LAT;
    (dx * dx + dy * dy).sqrt()
}

/// The point `east_km` east and `north_km` north of (`lat`, `lon`).
pub fn offset(lat: f64, lon: f64, north_km: f64, east_km: f64) -> (f64, f64) {
    let lat2 = lat + north_km / KM_PER_LAT;
    let lon2 = lon + east_km / (KM_PER_LON * cos_deg(lat));
    (lat2, lon2)
}

/// An id made from a Norwegian name: lower case ASCII letters, digits and `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'æ' => out.push_str("ae"),
            'ø' | 'ö' => out.push('o'),
            'å' | 'á' | 'ä' => out.push('a'),
            'é' | 'è' => out.push('e'),
            _ => {
                if !out.ends_with('-') && !out.is_empty() {
                    out.push('-');
                }
            }
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// First parts of made-up place names.
pub const NAME_HEADS: [&str; 48] = [
    "Sol", "Hau", "Nord", "Sør", "Aust", "Vest", "Berg", "Lyng", "Ask", "Bjørk", "Eid", "Fjell",
    "Fos", "Gran", "Hov", "Kvam", "Lund", "Mo", "Nes", "Rød", "Sand", "Skog", "Stein", "Strand",
    "Tveit", "Vik", "Øy", "Ås", "Dal", "Lei", "Mel", "Rong", "Tys", "Ul", "Hjelm", "Kval", "Brann",
    "Hol", "Sel", "Bø", "Val", "Vang", "Fager", "Lange", "Kalv", "Rå", "Sva", "Hamre",
];

/// Last parts of made-up place names.
pub const NAME_TAILS: [&str; 22] = [
    "vik", "dal", "fjord", "nes", "øy", "sund", "berg", "stad", "heim", "bø", "vågen", "haug",
    "land", "eid", "voll", "mark", "lia", "by", "ås", "sjøen", "strand", "set",
];

/// Common Norwegian first names (and some of the many others Norway's doctors have).
pub const FIRST_NAMES: [&str; 56] = [
    "Ingrid", "Eirik", "Kari", "Sondre", "Marte", "Håkon", "Siri", "Anders", "Ragnhild", "Jon",
    "Linn", "Erlend", "Maria", "Thea", "Ola", "Nora", "Emma", "Jakob", "Sofie", "Henrik", "Ida",
    "Magnus", "Sara", "Sindre", "Hanna", "Kristian", "Ane", "Tobias", "Silje", "Martin", "Julie",
    "Even", "Tone", "Lars", "Astrid", "Olav", "Guro", "Vegard", "Mari", "Øystein", "Ingvild",
    "Torstein", "Hilde", "Bjørn", "Eli", "Stian", "Marit", "Petter", "Karoline", "Aslak", "Elle",
    "Ahmed", "Fatima", "Ali", "Amina", "Oskar",
];

/// Common Norwegian family names.
pub const LAST_NAMES: [&str; 50] = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johnsen",
    "Dahl",
    "Lie",
    "Solberg",
    "Bakken",
    "Moen",
    "Strand",
    "Eide",
    "Haugland",
    "Solheim",
    "Nygård",
    "Vik",
    "Aasen",
    "Lunde",
    "Fjeld",
    "Hope",
    "Sæbø",
    "Tangen",
    "Instanes",
    "Kleppe",
    "Mjelde",
    "Tveit",
    "Hjelmeland",
    "Rønning",
    "Hovland",
    "Sandvik",
    "Myhre",
    "Aune",
    "Sletten",
    "Eriksen",
    "Ahmadi",
    "Khan",
    "Nguyen",
    "Kowalski",
    "Sara",
    "Bjørnstad",
    "Rustad",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_matches_the_library_to_many_digits() {
        for d in [-80.0, -30.0, 0.0, 45.0, 59.9, 70.5, 89.0] {
            assert!((cos_deg(d) - f64::to_radians(d).cos()).abs() < 1e-9, "{d}");
        }
    }

    #[test]
    fn distances_are_plausible() {
        // Bergen – Oslo is about 305 km in a straight line.
        let d = km(60.39, 5.32, 59.91, 10.75);
        assert!((295.0..315.0).contains(&d), "{d}");
        let (lat, lon) = offset(60.0, 10.0, 10.0, 10.0);
        assert!((km(60.0, 10.0, lat, lon) - 14.14).abs() < 0.1);
    }

    #[test]
    fn slugs_are_ascii_ids() {
        assert_eq!(slug("Mo i Rana"), "mo-i-rana");
        assert_eq!(slug("Ålesund"), "alesund");
        assert_eq!(slug("Sæbø sjukehus"), "saebo-sjukehus");
        assert_eq!(slug("Bjørk-øy "), "bjork-oy");
    }

    #[test]
    fn every_anchor_lies_in_its_region_box() {
        for r in &REGIONS {
            for a in r.anchors {
                assert!(r.lat.0 <= a.lat && a.lat <= r.lat.1, "{}", a.name);
                assert!(r.lon.0 <= a.lon && a.lon <= r.lon.1, "{}", a.name);
            }
        }
    }
}
