//! The city's area sets (neighborhoods, districts, block groups): the list with the import forms
//! (administrators) and one set's map and population.

pub mod set;
pub mod sets;
