//! The encyclopedia in the window: "?" links next to terms in the panels,
//! the page they open (over the board, or on the encyclopedia screen), and
//! the glossary. The content is data (`assets/encyclopedia.ron`).

use bevy_egui::egui::{self, RichText, Ui};

use super::theme;
use crate::encyclopedia::{Encyclopedia, Page};

/// Where a "?" click leaves the page it asks for, until the screen reads it.
fn request_id() -> egui::Id {
    egui::Id::new("encyclopedia-request")
}

/// A small "?" that opens page `page` of the encyclopedia.
pub fn help_link(ui: &mut Ui, page: &str) {
    let summary = crate::encyclopedia::encyclopedia()
        .page(page)
        .map_or_else(String::new, |p| format!("{}: {}", p.title, p.summary));
    let b = ui
        .add(egui::Button::new(RichText::new("?").strong()).small())
        .on_hover_text(format!("{summary}\n(click to read more)"));
    if b.clicked() {
        let page = page.to_string();
        ui.ctx().data_mut(|d| d.insert_temp(request_id(), page));
    }
}

/// The page a "?" asked for this frame, if any (taken: asked once).
pub fn take_request(ctx: &egui::Context) -> Option<String> {
    ctx.data_mut(|d| d.remove_temp::<String>(request_id()))
}

/// A heading with its "?" link.
pub fn heading_with_help(ui: &mut Ui, text: &str, page: &str) {
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(text).strong().size(17.0));
        help_link(ui, page);
    });
}

/// One page: title, text, its figures with their sources, and links to
/// related pages. Returns the page id of a "see also" link clicked.
pub fn page_view(ui: &mut Ui, enc: &Encyclopedia, page: &Page) -> Option<String> {
    let mut go = None;
    ui.label(theme::heading(&page.title));
    ui.label(RichText::new(&page.summary).italics());
    ui.add_space(4.0);
    for p in &page.paragraphs {
        ui.label(p);
        ui.add_space(4.0);
    }
    if !page.figures.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("Figures and where they come from").strong());
        for f in &page.figures {
            let source = enc
                .source(&f.source)
                .map_or(f.source.clone(), |s| s.title.clone());
            let reported = if f.reported { " · reported" } else { "" };
            ui.label(format!("• {}", f.text));
            ui.label(
                RichText::new(format!(
                    "   {source} (data as of {}){reported}",
                    f.data_as_of
                ))
                .small()
                .color(theme::MUTED),
            );
        }
    }
    if !page.see_also.is_empty() {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("See also:").color(theme::MUTED));
            for id in &page.see_also {
                if let Some(other) = enc.page(id)
                    && ui.link(&other.title).clicked()
                {
                    go = Some(id.clone());
                }
            }
        });
    }
    go
}

/// The glossary: every term, with a link to its page.
pub fn glossary(ui: &mut Ui, enc: &Encyclopedia) -> Option<String> {
    let mut go = None;
    egui::Grid::new("glossary")
        .num_columns(2)
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for t in enc.glossary_sorted() {
                ui.label(RichText::new(&t.term).strong());
                ui.horizontal_wrapped(|ui| {
                    ui.label(&t.definition);
                    if let Some(page) = t.page.as_deref().and_then(|p| enc.page(p))
                        && ui.link(format!("read: {}", page.title)).clicked()
                    {
                        go = Some(page.id.clone());
                    }
                });
                ui.end_row();
            }
        });
    go
}

/// Which part of the encyclopedia is open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Open {
    #[default]
    Glossary,
    Page(String),
    Sources,
}

/// The whole encyclopedia: a list of pages on the left, the open one on
/// the right. `sources` draws the sources list (the screen's own).
pub fn browser(ui: &mut Ui, enc: &Encyclopedia, open: &mut Open, sources: impl FnOnce(&mut Ui)) {
    let height = ui.available_height();
    ui.horizontal_top(|ui| {
        let list = egui::Layout::top_down_justified(egui::Align::LEFT);
        ui.allocate_ui_with_layout(egui::vec2(260.0, height), list, |ui| {
            ui.set_width(260.0);
            egui::ScrollArea::vertical()
                .id_salt("enc-list")
                .show(ui, |ui| {
                    ui.selectable_value(open, Open::Glossary, "Glossary");
                    ui.separator();
                    for p in &enc.pages {
                        let is_open = *open == Open::Page(p.id.clone());
                        if ui
                            .selectable_label(is_open, &p.title)
                            .on_hover_text(&p.summary)
                            .clicked()
                        {
                            *open = Open::Page(p.id.clone());
                        }
                    }
                    ui.separator();
                    ui.selectable_value(open, Open::Sources, "Sources of the figures");
                });
        });
        ui.separator();
        ui.vertical(|ui| {
            egui::ScrollArea::vertical()
                .id_salt("enc-page")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(760.0);
                    match open.clone() {
                        Open::Glossary => {
                            ui.label(theme::heading("Glossary"));
                            if let Some(id) = glossary(ui, enc) {
                                *open = Open::Page(id);
                            }
                        }
                        Open::Page(id) => match enc.page(&id) {
                            Some(p) => {
                                if let Some(next) = page_view(ui, enc, p) {
                                    *open = Open::Page(next);
                                }
                            }
                            None => {
                                ui.label(format!("No page \"{id}\"."));
                            }
                        },
                        Open::Sources => sources(ui),
                    }
                });
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encyclopedia::{PAGE_IDS, encyclopedia};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn a_question_mark_asks_for_its_page() {
        let mut asked = None;
        {
            let mut harness = Harness::new_ui(|ui| {
                heading_with_help(ui, "Export controls", "export-controls");
                if let Some(p) = take_request(ui.ctx()) {
                    asked = Some(p);
                }
            });
            harness.get_by_label("?").click();
            harness.run();
        }
        assert_eq!(asked.as_deref(), Some("export-controls"));
    }

    #[test]
    fn every_linked_page_opens_with_its_figures_and_sources() {
        let enc = encyclopedia();
        for id in PAGE_IDS {
            let page = enc.page(id).expect("page exists");
            let harness = Harness::new_ui(|ui| {
                page_view(ui, enc, page);
            });
            assert!(
                harness.query_all_by_label(&page.title).next().is_some(),
                "{id}"
            );
            for f in &page.figures {
                let source = enc.source(&f.source).unwrap();
                let line = format!("{} (data as of {})", source.title, f.data_as_of);
                assert!(
                    harness.query_all_by_label_contains(&line).next().is_some(),
                    "{id}: figure {:?} shows its source",
                    f.text
                );
            }
        }
    }

    #[test]
    fn the_browser_follows_a_glossary_link() {
        let enc = encyclopedia();
        let term = enc
            .glossary_sorted()
            .into_iter()
            .find(|t| t.page.is_some())
            .expect("a glossary term links to a page");
        let target = enc.page(term.page.as_deref().unwrap()).unwrap();
        let mut open = Open::Glossary;
        {
            let mut harness = Harness::builder()
                .with_size(egui::vec2(1200.0, 4000.0))
                .build_ui(|ui| browser(ui, enc, &mut open, |_| {}));
            harness
                .get_all_by_label(&format!("read: {}", target.title))
                .next()
                .unwrap()
                .click();
            harness.run();
        }
        assert_eq!(open, Open::Page(target.id.clone()));
    }
}
