//! The overlays a record may name, by id or by name.

use std::collections::HashMap;

use serde::Serialize;

/// The overlays a carrier's `overlay` property may name, by id or by name:
/// what a read checks each `overlay` value against (see
/// [`ReadOptions::overlays`](crate::ReadOptions::overlays)). A value is
/// compared without spaces, ASCII case and full-width forms, and stored
/// as the overlay's id.
///
/// ```
/// use carrier_quota::names::OverlayNames;
///
/// let names = OverlayNames::chongqing();
/// assert_eq!(names.resolve("两江新区").unwrap(), "liangjiang_new_area");
/// assert_eq!(names.resolve("western_science_city").unwrap(), "western_science_city");
/// assert!(names.resolve("渝中半岛").is_err());
/// let own = OverlayNames::new().with("cqu", ["重庆大学创新生态圈"]);
/// assert_eq!(own.resolve("重庆大学创新生态圈").unwrap(), "cqu");
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OverlayNames {
    /// Folded id or name → id.
    names: HashMap<String, String>,
    /// The ids, in the order they were added.
    ids: Vec<String>,
    /// Whether any value is taken as an id of its own.
    any: bool,
}

/// An `overlay` value that is none of the overlay ids or names a read
/// knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("unknown overlay {found:?}: not the id or name of an overlay ({}); give an overlays file with it, or leave the cell empty", .known.join(", "))]
pub struct UnknownOverlay {
    /// The value as written.
    pub found: String,
    /// The ids that are known.
    pub known: Vec<String>,
}

impl OverlayNames {
    /// No overlays: every `overlay` value is refused.
    pub fn new() -> OverlayNames {
        OverlayNames::default()
    }

    /// Any non-empty `overlay` value, taken as an overlay id of its own:
    /// for a service whose carriers carry ids it defines.
    pub fn any() -> OverlayNames {
        OverlayNames {
            any: true,
            ..OverlayNames::default()
        }
    }

    /// These overlays and overlay `id`, known by its id and `names`.
    pub fn with<S: AsRef<str>>(
        mut self,
        id: &str,
        names: impl IntoIterator<Item = S>,
    ) -> OverlayNames {
        if !self.ids.iter().any(|known| known == id) {
            self.ids.push(id.to_string());
        }
        let names = std::iter::once(id.to_string())
            .chain(names.into_iter().map(|n| n.as_ref().to_string()));
        for name in names {
            self.names
                .entry(crate::spelling::fold(&name))
                .or_insert_with(|| id.to_string());
        }
        self
    }

    /// The ids known, in the order they were added.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The id of the overlay `text` names.
    ///
    /// # Errors
    ///
    /// [`UnknownOverlay`] when it names none (never, for
    /// [`OverlayNames::any`]).
    pub fn resolve<'a>(&'a self, text: &'a str) -> Result<&'a str, UnknownOverlay> {
        // An id as written is found without folding it.
        if let Some(id) = self.names.get(text) {
            return Ok(id);
        }
        match self.names.get(&crate::spelling::fold(text)) {
            Some(id) => Ok(id),
            None if self.any => Ok(text),
            None => Err(UnknownOverlay {
                found: text.to_string(),
                known: self.ids.clone(),
            }),
        }
    }
}
