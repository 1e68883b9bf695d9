"""The year's figures for staff, the funders and the General Assembly: one typed result (figures.model)
computed by one function (figures.compute.year_figures) from section providers (figures.registry) that
read the other domains through their public read functions; the dashboard page, the SVG charts, the
activity report PDF and the CSV exports all render that one result."""
