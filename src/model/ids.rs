//! Typed indices into the instance's tables. Ids are read as strings and interned into these
//! small integers once, so the rest of the program never compares strings.

macro_rules! define_id {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
        pub struct $name(pub u32);

        impl $name {
            /// Position in the instance's table.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of the `i`-th row of the table.
            pub fn at(i: usize) -> Self {
                $name(u32::try_from(i).expect("tables are far smaller than 2^32 rows"))
            }
        }
    )*};
}

define_id!(
    /// A row of `places.csv`.
    PlaceId,
    /// A row of `municipalities.csv`.
    MunicipalityId,
    /// A row of `hospitals.csv`.
    HospitalId,
    /// A specialty named in `departments.csv`.
    SpecialtyId,
    /// A row of `departments.csv` (hospital × specialty).
    DepartmentId,
    /// A row of `doctors.csv`.
    DoctorId,
    /// A row of `supervisors.csv`.
    SupervisorId,
    /// A row of `venues.csv`.
    VenueId,
);
