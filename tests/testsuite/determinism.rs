//! Same input, same bytes.

use crate::support::Site;

#[test]
fn two_builds_are_byte_identical() {
    for site in [Site::example(), Site::english()] {
        site.build().success();
        let first = site.snapshot_dir("public");
        site.run(&["build", "--output", "again"]).success();
        assert_eq!(first, site.snapshot_dir("again"));
        site.build().success();
        assert_eq!(first, site.snapshot_dir("public"));
    }
}
