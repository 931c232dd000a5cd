package org.layeredcache.example.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's recently viewed templates as persisted by the background store ({@link RecentViews}). */
@Entity
@Table(name = "EX_RECENT_VIEW")
public class RecentView {

    @Id
    @Column(name = "USER_ID")
    private Long userId;

    @Column(name = "TEMPLATE_IDS", nullable = false, length = 255)
    private String templateIds;

    protected RecentView() {
    }

    public RecentView(long userId, String templateIds) {
        this.userId = userId;
        this.templateIds = templateIds;
    }

    public String getTemplateIds() {
        return templateIds;
    }
}
